using System.Linq.Expressions;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Patients (docs/architecture.md, "Data rules"): mobile numbers unique after E.164 normalisation and shown as entered;
/// DELETE archives (the row and its number stay), an admin restores or purges.
/// </summary>
public sealed class PatientsService(
    AppDbContext db, CursorCodec cursors, TimeProvider clock, IConfiguration config, IFileStore files, ILogger<PatientsService> logger)
{
    private const string DuplicateMobile = "A patient with this mobile number already exists";
    private const string DuplicateArchivedMobile = "An archived patient has this mobile number; an admin can restore them";

    /// <summary>Where a page ended: the sort key of its last row, and what was asked for.</summary>
    internal sealed record Position(string Query, bool Archived, int Score, string LastName, string FirstName, Guid Id);

    private sealed class Ranked
    {
        public required Patient Patient { get; init; }
        public int Score { get; init; }
    }

    private sealed record ScoredPatient(int Score, PatientDto Patient);

    public async Task<PagedResult<PatientDto>> QueryAsync(QueryPatients request, bool isAdmin, CancellationToken ct)
    {
        var archived = request.Archived == true;
        if (archived && !isAdmin) throw ApiException.Forbidden("Only admins see archived patients");
        var limit = PageRequest.Limit(request.Limit);
        var terms = PatientSearch.Parse(request.Search);
        var after = request.Cursor is null ? null : cursors.Decode<Position>(request.Cursor);
        if (after is not null && (after.Query != terms.Key || after.Archived != archived))
            throw ApiException.BadRequest("Invalid cursor: it belongs to another query");

        // Best matches first: a term that is a whole word of the names scores 3, the start of a
        // word of the names 2, a match in the email or phone 1. One word — the search box as someone
        // types — is read in order from the prefix index; anything else is scored from the search text of every match.
        // A run of digits alone — a phone number, or part of one — is read from the digit index.
        var rows = terms is { Words: [var word], Digits: [] } && !archived && PatientSearchPrefix.IsServed(word)
            ? await PrefixPageAsync(word, after, limit + 1, ct)
            : terms is { Words: [], Digits: [var digits] } && !archived && PatientSearchDigits.IsServed(digits)
                ? await DigitsPageAsync(digits, after, limit + 1, ct)
                : await ScoredPageAsync(terms, archived, after, limit + 1, ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore
            ? cursors.Encode(new Position(terms.Key, archived, rows[^1].Score, rows[^1].Patient.LastName, rows[^1].Patient.FirstName, rows[^1].Patient.Id))
            : null;
        return new PagedResult<PatientDto>(rows.Select(r => r.Patient).ToList(), new Pagination(limit, next, hasMore));
    }

    private async Task<List<ScoredPatient>> PrefixPageAsync(string word, Position? after, int take, CancellationToken ct)
    {
        // Without a cursor the query ignores the position (first page); these values only fill its parameters.
        var (precedence, lastName, firstName, id) = after is null ? (0, "", "", Guid.Empty)
            : (PatientSearchPrefix.PrecedenceOf(after.Score), after.LastName, after.FirstName, after.Id);
        var page = new List<ScoredPatient>(take);
        await foreach (var row in PrefixPage.For(db)(db, word, after is null, precedence, lastName, firstName, id, take).WithCancellation(ct)) page.Add(row);
        return page;
    }

    /// <summary>
    /// Active patients with a word starting with the word, after a position of (precedence, last name, first name, id),
    /// in the order of the prefix rows' key. Compiled: it runs on every keystroke in the search box.
    /// On the first page the position's conditions are dropped by the planner (<c>first OR …</c> with first
    /// true): PostgreSQL plans every run, and the conditions were a third of the time it spent planning.
    /// </summary>
    private static readonly CompiledQuery<Func<AppDbContext, string, bool, int, string, string, Guid, int, IAsyncEnumerable<ScoredPatient>>> PrefixPage = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, string word, bool first, int precedence, string lastName, string firstName, Guid id, int take) => (
            from s in db.Set<PatientSearchPrefix>().TagWith(PreparedQueries.Tag)
            join p in db.Patients on s.PatientId equals p.Id
            where s.Prefix == word && p.ArchivedAt == null && (first || (s.Precedence >= precedence &&
                  (s.Precedence > precedence || string.Compare(s.LastName, lastName) > 0 || (s.LastName == lastName &&
                      (string.Compare(s.FirstName, firstName) > 0 || (s.FirstName == firstName && s.PatientId.CompareTo(id) > 0))))))
            orderby s.Precedence, s.LastName, s.FirstName, s.PatientId
            select new ScoredPatient(PatientSearchPrefix.RankOf(s.Precedence), new PatientDto(p.Id, p.FirstName, p.LastName, p.MobileNumber, p.Email, p.DateOfBirth,
                p.Address, p.EmergencyContactName, p.EmergencyContactPhone, p.CreatedAt, p.UpdatedAt, p.ArchivedAt))).Take(take)));

    /// <summary>
    /// Active patients whose digits contain the run, by name after a position: read in the order of the digit
    /// index (it carries the names), however many thousands of patients four digits match. A run longer than
    /// the stored pieces is read by its last ones and checked against the search text.
    /// </summary>
    private async Task<List<ScoredPatient>> DigitsPageAsync(string digits, Position? after, int take, CancellationToken ct)
    {
        var rows = DigitsPage.For(db)(db, PatientSearchDigits.KeyOf(digits), PatientSearchDigits.IsWholeKey(digits), digits,
            after is null, after?.LastName ?? "", after?.FirstName ?? "", after?.Id ?? Guid.Empty, take);
        var page = new List<ScoredPatient>(take);
        await foreach (var row in rows.WithCancellation(ct)) page.Add(row);
        return page;
    }

    // Compiled, as the prefix page, and without the position's conditions on the first page, as there: a phone
    // number typed at the front desk is the most common lookup.
    private static readonly CompiledQuery<Func<AppDbContext, string, bool, string, bool, string, string, Guid, int, IAsyncEnumerable<ScoredPatient>>> DigitsPage = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, string key, bool whole, string run, bool first, string lastName, string firstName, Guid id, int take) => (
            from s in db.Set<PatientSearchDigits>().TagWith(PreparedQueries.Tag)
            join p in db.Patients on s.PatientId equals p.Id
            // The redundant ">=" lets a later page start at the cursor in the index rather than at the run's first entry.
            // The run is checked with strpos() (instr() on SQLite), not LIKE: PostgreSQL plans a LIKE against the trigram
            // index on every run (1–3 ms), and may answer it from there (7 ms instead of 0.4 at a million patients).
            where s.Digits == key && (whole || EF.Property<string>(p, PatientSearch.Property).IndexOf(run) >= 0) &&
                  (first || (string.Compare(s.LastName, lastName) >= 0 &&
                  (string.Compare(s.LastName, lastName) > 0 || (s.LastName == lastName &&
                      (string.Compare(s.FirstName, firstName) > 0 || (s.FirstName == firstName && s.PatientId.CompareTo(id) > 0))))))
            orderby s.LastName, s.FirstName, s.PatientId
            select new ScoredPatient(0, new PatientDto(p.Id, p.FirstName, p.LastName, p.MobileNumber, p.Email, p.DateOfBirth,
                p.Address, p.EmergencyContactName, p.EmergencyContactPhone, p.CreatedAt, p.UpdatedAt, p.ArchivedAt))).Take(take)));

    /// <summary>A page of the patients matching every term, scored from their search text (no terms: everyone, by name).</summary>
    private async Task<List<ScoredPatient>> ScoredPageAsync(SearchTerms terms, bool archived, Position? after, int take, CancellationToken ct)
    {
        var candidates = Candidates(terms, archived);
        candidates = archived ? candidates.Where(p => p.ArchivedAt != null) : candidates.Where(p => p.ArchivedAt == null);
        var query = candidates.Select(p => new Ranked { Patient = p, Score = 0 });
        foreach (var word in terms.Words)
        {
            var exactName = $"% {word} %#%";
            var nameStart = $"% {word}%#%";
            query = query.Select(r => new Ranked
            {
                Patient = r.Patient,
                Score = r.Score + (EF.Functions.Like(EF.Property<string>(r.Patient, PatientSearch.Property), exactName) ? PatientSearchPrefix.WholeNameWord
                    : EF.Functions.Like(EF.Property<string>(r.Patient, PatientSearch.Property), nameStart) ? PatientSearchPrefix.StartOfNameWord
                    : PatientSearchPrefix.StartOfEmailWord),
            });
        }

        // Keyset pagination over (score, last name, first name, id); the score only when words rank the results.
        var ranked = terms.Words.Count > 0;
        if (after is not null)
        {
            query = ranked
                ? query.Where(r => r.Score < after.Score || (r.Score == after.Score &&
                    (string.Compare(r.Patient.LastName, after.LastName) > 0 || (r.Patient.LastName == after.LastName &&
                        (string.Compare(r.Patient.FirstName, after.FirstName) > 0 || (r.Patient.FirstName == after.FirstName &&
                            r.Patient.Id.CompareTo(after.Id) > 0))))))
                // The redundant first condition lets the (last_name, first_name, id) index start at the cursor.
                : query.Where(r => string.Compare(r.Patient.LastName, after.LastName) >= 0 &&
                    (string.Compare(r.Patient.LastName, after.LastName) > 0 ||
                        (string.Compare(r.Patient.FirstName, after.FirstName) > 0 || (r.Patient.FirstName == after.FirstName &&
                            r.Patient.Id.CompareTo(after.Id) > 0))));
        }

        var ordered = ranked
            ? query.OrderByDescending(r => r.Score).ThenBy(r => r.Patient.LastName)
            : query.OrderBy(r => r.Patient.LastName);
        return await ordered.ThenBy(r => r.Patient.FirstName).ThenBy(r => r.Patient.Id)
            .Take(take)
            .Select(r => new ScoredPatient(r.Score, new PatientDto(r.Patient.Id, r.Patient.FirstName, r.Patient.LastName, r.Patient.MobileNumber,
                r.Patient.Email, r.Patient.DateOfBirth, r.Patient.Address, r.Patient.EmergencyContactName, r.Patient.EmergencyContactPhone,
                r.Patient.CreatedAt, r.Patient.UpdatedAt, r.Patient.ArchivedAt)))
            .AsNoTracking().TagWith(PreparedQueries.Tag).ToListAsync(ct);
    }

    /// <summary>Every patient matching every term, through each provider's search index.</summary>
    private IQueryable<Patient> Candidates(SearchTerms terms, bool archived)
    {
        if (terms.IsEmpty) return db.Patients;
        // PostgreSQL: words of up to 20 characters by the GIN index of word starts (patient_search_words, see
        // the PatientSearchWords migration), which holds exactly when "% word%" matches: it intersects the
        // patients of each word instead of scanning the trigrams the words share with much of the clinic.
        // Not one word beside a run of 1–3 digits: the trigrams of the run would be intersected with the
        // word's thousands of patients, and each row of the intersection rechecked through the function.
        var indexedWords = db.IsPostgres ? terms.Words.Where(PatientSearchPrefix.IsServed).ToArray() : [];
        if (indexedWords.Length == 1 && terms.Digits.Any(d => d.Length < PatientSearchDigits.MinLength)) indexedWords = [];
        // Runs of 4 or more digits (a phone number or part of one) are answered by the digit index, which
        // holds active patients — except beside indexed words: PostgreSQL intersects the two GIN indexes
        // (a run of up to 7 digits occurs in the search text exactly when it is one of the patient's digit
        // rows; a longer one is read by its last 7 and checked as in DigitsPage); every other term by a LIKE pattern on the search text.
        var indexedDigits = archived || indexedWords.Length > 0 ? [] : terms.Digits.Where(PatientSearchDigits.IsServed).ToList();
        var patterns = terms.Words.Except(indexedWords).Select(w => $"% {w}%").Concat(terms.Digits.Except(indexedDigits).Select(d => $"%{d}%")).ToArray();
        var query = indexedWords.Length > 0
            ? db.Patients.FromSql($"SELECT * FROM patients WHERE patient_search_words(search_text) COLLATE \"C\" @> {indexedWords}")
            : db.Patients.AsQueryable();
        if (patterns.Length > 0 && !db.IsPostgres)
        {
            // SQLite: the FTS5 trigram table answers LIKE from its index.
            // Only parameter placeholders are put into the SQL; the patterns travel as parameters.
            var conditions = string.Join(" AND ", patterns.Select((_, i) => "search_text LIKE {" + i + "}"));
            var sql = "SELECT * FROM patients WHERE id IN (SELECT patient_id FROM patients_fts WHERE " + conditions + ")";
            query = db.Patients.FromSqlRaw(sql, patterns.Cast<object>().ToArray());
        }
        else
        {
            // PostgreSQL: the pg_trgm GIN index on search_text answers LIKE.
            foreach (var pattern in patterns)
                query = query.Where(p => EF.Functions.Like(EF.Property<string>(p, PatientSearch.Property), pattern));
        }
        foreach (var digits in indexedDigits)
        {
            var key = PatientSearchDigits.KeyOf(digits);
            var rows = db.Set<PatientSearchDigits>().Where(s => s.Digits == key);
            query = query.Where(p => rows.Select(s => s.PatientId).Contains(p.Id));
            if (!PatientSearchDigits.IsWholeKey(digits)) query = query.Where(p => EF.Property<string>(p, PatientSearch.Property).IndexOf(digits) >= 0);
        }
        return query;
    }

    public async Task<PatientDetailsDto> GetAsync(Guid id, CancellationToken ct)
    {
        var (p, billed, discounts, paid) = await Details.For(db)(db, id, ct) ?? throw ApiException.NotFound("Patient");
        return new PatientDetailsDto(p.Id, p.FirstName, p.LastName, p.MobileNumber, p.Email, p.DateOfBirth, p.Address, p.EmergencyContactName,
            p.EmergencyContactPhone, p.CreatedAt, p.UpdatedAt, p.ArchivedAt, new PatientAccount(billed, discounts, paid, billed - discounts - paid));
    }

    private sealed record DetailsRow(PatientDto Patient, decimal Billed, decimal Discounts, decimal Paid);

    /// <summary>
    /// One round trip: the patient and the account, summed by the database in exact decimals
    /// (numeric on PostgreSQL, EF's decimal aggregates on SQLite); archived treatments don't count.
    /// The three sums come from one grouped pass over the patient's treatments (a join), not three
    /// subqueries: PostgreSQL plans every run of it afresh, and it plans and runs this in ~⅔ of the time.
    /// Compiled: the front desk's most frequent read, so the query is not rebuilt and looked up on each call.
    /// </summary>
    private static readonly CompiledQuery<Func<AppDbContext, Guid, CancellationToken, Task<DetailsRow?>>> Details = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken ct) =>
            (from p in db.Patients.AsNoTracking().TagWith(PreparedQueries.Tag)
             where p.Id == id && p.ArchivedAt == null
             join sums in db.Treatments.Where(t => t.PatientId == id).GroupBy(t => t.PatientId)
                     .Select(g => new { PatientId = g.Key, Billed = g.Sum(t => t.TotalPrice), Discounts = g.Sum(t => t.Discount), Paid = g.Sum(t => t.AmountPaid) })
                 on p.Id equals sums.PatientId into account
             from sums in account.DefaultIfEmpty()
             select new DetailsRow(
                 new PatientDto(p.Id, p.FirstName, p.LastName, p.MobileNumber, p.Email, p.DateOfBirth, p.Address, p.EmergencyContactName,
                     p.EmergencyContactPhone, p.CreatedAt, p.UpdatedAt, p.ArchivedAt),
                 (decimal?)sums!.Billed ?? 0, (decimal?)sums.Discounts ?? 0, (decimal?)sums.Paid ?? 0))
            .FirstOrDefault()));

    /// <param name="isAdmin">A conflict names an archived patient's id to admins only (only they can open one).</param>
    public async Task<PatientDto> CreateAsync(CreatePatient request, bool isAdmin, CancellationToken ct)
    {
        var patient = new Patient { FirstName = "", LastName = "", MobileNumber = "", MobileE164 = "" };
        Apply(patient, request);
        await EnsureMobileFreeAsync(patient.MobileE164, except: null, isAdmin, ct);
        db.Patients.Add(patient);
        await SaveAsync(patient.MobileE164, null, isAdmin, ct);
        return ToDtoOf(patient);
    }

    public async Task<PatientDto> UpdateAsync(Guid id, UpdatePatient request, bool isAdmin, CancellationToken ct)
    {
        // One writer of the patient at a time from the read on (its row locked on PostgreSQL; SQLite has one
        // writer): two renames racing would otherwise both read the patient's search-prefix rows and both
        // remove the old ones (the second removing nothing: a 500).
        await using var tx = await db.BeginWriteTransactionAsync(ct);
        if (db.IsPostgres) await db.Database.ExecuteSqlAsync($"SELECT 1 FROM patients WHERE id = {id} FOR UPDATE", ct);
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id && p.ArchivedAt == null, ct)
                      ?? throw ApiException.NotFound("Patient");
        Apply(patient, request);
        await EnsureMobileFreeAsync(patient.MobileE164, except: id, isAdmin, ct);
        await SaveAsync(patient.MobileE164, id, isAdmin, ct);
        await tx.CommitAsync(ct);
        return ToDtoOf(patient);
    }

    /// <summary>Archives: the patient leaves lists, search and GET; their records and mobile number stay.</summary>
    public async Task ArchiveAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id && p.ArchivedAt == null, ct)
                      ?? throw ApiException.NotFound("Patient");
        patient.ArchivedAt = now.AddTicks(-(now.Ticks % 10));
        await db.SaveChangesAsync(ct);
    }

    public async Task<PatientDto> RestoreAsync(Guid id, CancellationToken ct)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw ApiException.NotFound("Patient");
        if (patient.ArchivedAt is not null)
        {
            patient.ArchivedAt = null;
            await db.SaveChangesAsync(ct);
        }
        return ToDtoOf(patient);
    }

    /// <summary>
    /// Erases the patient (archived or not) and every row that refers to them — directly or through
    /// another row — in every table of the model, in one transaction (each deletion audited); then
    /// the files only those rows pointed at (signature images).
    /// </summary>
    public async Task PurgeAsync(Guid id, bool isAdmin, CancellationToken ct)
    {
        if (!isAdmin) throw ApiException.Forbidden("Only admins purge patients");
        IReadOnlyList<object> removed;
        await using (var tx = await db.BeginWriteTransactionAsync(ct))
        {
            // The patient's row first, so that no new record can be attached while its records are erased.
            var found = db.IsPostgres
                ? await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM patients WHERE id = {id} FOR UPDATE").AnyAsync(ct)
                : await db.Patients.AnyAsync(p => p.Id == id, ct);
            if (!found) throw ApiException.NotFound("Patient");
            var patient = await db.Patients.SingleAsync(p => p.Id == id, ct);
            removed = await new RecordEraser(db).EraseAsync(patient, ct);
            await tx.CommitAsync(ct);
        }
        foreach (var submission in removed.OfType<MedicalHistorySubmission>())
        {
            try { await files.DeleteAsync(submission.SignatureKey, CancellationToken.None); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not delete the signature file of purged submission {SubmissionId}", submission.Id);
            }
        }
    }

    private async Task EnsureMobileFreeAsync(string e164, Guid? except, bool isAdmin, CancellationToken ct)
    {
        if (await MobileConflictAsync(e164, except, isAdmin, ct) is { } conflict) throw conflict;
    }

    /// <summary>
    /// The 409 for a number another patient has, naming that patient's id in <c>details[0].existingId</c> so the
    /// desk can open them; an archived one's id only for admins (nobody else can open an archived patient).
    /// </summary>
    private async Task<ApiException?> MobileConflictAsync(string e164, Guid? except, bool isAdmin, CancellationToken ct)
    {
        var holder = await db.Patients.AsNoTracking().Where(p => p.MobileE164 == e164 && p.Id != except)
            .Select(p => new { p.Id, p.ArchivedAt }).FirstOrDefaultAsync(ct);
        if (holder is null) return null;
        var archived = holder.ArchivedAt is not null;
        var message = archived ? DuplicateArchivedMobile : DuplicateMobile;
        return new ApiException(StatusCodes.Status409Conflict, ErrorCodes.Conflict, message,
            [new FieldError("mobileNumber", message, archived && !isAdmin ? null : holder.Id)]);
    }

    private async Task SaveAsync(string e164, Guid? except, bool isAdmin, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another request registered the same number between the check and the insert.
            db.ChangeTracker.Clear();
            // A transaction the failed statement aborted (PostgreSQL) cannot answer the lookup below.
            if (db.Database.CurrentTransaction is { } aborted) await aborted.RollbackAsync(ct);
            throw await MobileConflictAsync(e164, except, isAdmin, ct) ?? ApiException.Conflict("mobileNumber", DuplicateMobile);
        }
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Copies validated fields onto the entity (trimmed; blank optional fields cleared).</summary>
    private void Apply(Patient patient, IPatientFields request)
    {
        var number = MobileNumbers.Parse(request.MobileNumber, MobileNumbers.DefaultRegion(config))
                     ?? throw ApiException.Invalid("mobileNumber", "Mobile number is not a valid phone number");
        patient.FirstName = request.FirstName!.Trim();
        patient.LastName = request.LastName!.Trim();
        patient.MobileNumber = request.MobileNumber!.Trim();
        patient.MobileE164 = MobileNumbers.E164(number);
        patient.Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        patient.DateOfBirth = PatientFieldsValidator<IPatientFields>.ParseDate(request.DateOfBirth);
        patient.Address = Optional(request.Address?.Replace("\r\n", "\n"));
        patient.EmergencyContactName = Optional(request.EmergencyContactName);
        patient.EmergencyContactPhone = Optional(request.EmergencyContactPhone);
    }


    private static readonly Expression<Func<Patient, PatientDto>> ToDto = p => new PatientDto(
        p.Id, p.FirstName, p.LastName, p.MobileNumber, p.Email, p.DateOfBirth, p.Address, p.EmergencyContactName,
        p.EmergencyContactPhone, p.CreatedAt, p.UpdatedAt, p.ArchivedAt);

    private static readonly Func<Patient, PatientDto> ToDtoOf = ToDto.Compile();
}
