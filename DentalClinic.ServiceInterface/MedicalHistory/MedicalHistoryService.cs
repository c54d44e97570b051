using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Messaging;
using Hangfire;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.MedicalHistory;

/// <summary>Medical-history links, the public form behind them, its signed submissions and reading them back.</summary>
public sealed class MedicalHistoryService(
    AppDbContext db,
    IFileStore files,
    UrlSigner signer,
    SettingsService settings,
    PublicUrls urls,
    IConfiguration config,
    IOptions<FileStoreOptions> fileOptions,
    TimeProvider clock,
    ILogger<MedicalHistoryService> logger, AuditLog audit, IBackgroundJobClient jobs)
{
    public const int DefaultLinkHours = 72;
    public const int MaxLinkHours = 30 * 24;
    public const int MaxDobAttempts = 5;
    public const int MaxTextLength = 2_000;
    public const int MaxTextareaLength = 10_000;
    private const string SmsPurpose = "medical_history_link";

    /// <summary>
    /// Where the form page lives: Frontend:BaseUrl when set; the API's own address when it serves
    /// the web app (Frontend:ServedByApi, set by Configure.WebApp.cs); else the dev server's default.
    /// </summary>
    private string FrontendBaseUrl() =>
        config["Frontend:BaseUrl"] is { Length: > 0 } configured ? configured.TrimEnd('/')
        : config.GetValue<bool>("Frontend:ServedByApi") ? urls.Absolute("/").TrimEnd('/')
        : "http://localhost:3000";

    private static readonly JsonSerializerOptions StoredJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body is optional (no validator runs on a missing one), so its one rule is checked here.</summary>
    public async Task<IReadOnlyList<MedicalHistoryLinkStatus>> GetLinksAsync(Guid patientId, CancellationToken ct)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == patientId && p.ArchivedAt == null, ct)) throw ApiException.NotFound("Patient");
        return await db.Set<MedicalHistoryLink>().AsNoTracking()
            .Where(l => l.PatientId == patientId)
            .OrderByDescending(l => l.CreatedAt)
            .Select(l => new MedicalHistoryLinkStatus(l.Id, l.CreatedAt, l.ExpiresAt, l.UsedAt, l.LockedAt != null,
                db.Set<SmsOutboxMessage>().Where(m => m.RelatedId == l.Id)
                    .Select(m => new SmsDelivery(m.Id, m.Status, m.Attempts, m.SentAt, m.LastError)).FirstOrDefault()))
            .ToListAsync(ct);
    }

    public async Task<MedicalHistoryLinkDto> CreateLinkAsync(Guid patientId, CreateMedicalHistoryLink request, Guid userId, CancellationToken ct)
    {
        if (request.ExpiresInHours is < 1 or > MaxLinkHours)
            throw ApiException.Invalid("expiresInHours", $"Expiry must be between 1 and {MaxLinkHours} hours (30 days)");
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == patientId && p.ArchivedAt == null)
                          .Select(p => new { p.MobileE164 }).FirstOrDefaultAsync(ct)
                      ?? throw ApiException.NotFound("Patient");

        // 256 bits from the CSPRNG, base64url; only its SHA-256 is stored.
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = Now();
        var link = new MedicalHistoryLink
        {
            PatientId = patientId,
            TokenHash = TokenService.Hash(token),
            CreatedByUserId = userId,
            CreatedAt = now,
            ExpiresAt = now.AddHours(request.ExpiresInHours ?? DefaultLinkHours),
        };
        db.Add(link);
        var url = FrontendBaseUrl() + "/medical-history/" + token;

        SmsOutboxMessage? sms = null;
        if (request.SendSms == true)
        {
            var clinic = (await settings.GetAsync(ct)).ClinicName;
            sms = new SmsOutboxMessage
            {
                To = patient.MobileE164,
                Body = $"{clinic}: please fill in your medical history before your visit: {url}",
                Status = "pending",
                Purpose = SmsPurpose,
                RelatedId = link.Id,
                CreatedAt = now,
            };
            db.Add(sms);
        }
        await db.SaveChangesAsync(ct);
        if (sms is not null) jobs.Enqueue<SmsOutboxDispatcher>(d => d.DispatchAsync(CancellationToken.None));
        logger.LogInformation("Medical-history link {LinkId} created for patient {PatientId}", link.Id, patientId);
        return new MedicalHistoryLinkDto(token, url, link.ExpiresAt, sms is null ? null : new SmsMessageStatus(sms.Id, sms.Status, sms.To));
    }

    public async Task<MedicalHistoryForm> GetFormAsync(string token, CancellationToken ct)
    {
        var link = await FindUsableLinkAsync(token, tracked: false, ct);
        var patient = await FindPatientOfAsync(link, tracked: false, ct);
        var clinic = await settings.GetAsync(ct);
        var questions = await LiveQuestionsAsync(ct);
        return new MedicalHistoryForm(
            new FormPatient(patient.FirstName),
            new FormClinic(clinic.ClinicName, clinic.Logo?.Url),
            questions.Select(q => new FormQuestion(q.Id, q.Question, q.Type, q.Options, q.Required, q.Order)).ToList(),
            link.ExpiresAt);
    }

    public async Task<MedicalHistorySubmitted> SubmitAsync(string token, SubmitMedicalHistory request, string? ipAddress, string? userAgent, CancellationToken ct)
    {
        // One submission per link at a time: the second of two racing submissions finds the link used.
        await using var tx = await db.BeginLockedTransactionAsync("medical-history-link:" + TokenService.Hash(token), ct);
        var link = await FindUsableLinkAsync(token, tracked: true, ct);
        var patient = await FindPatientOfAsync(link, tracked: true, ct);
        var questions = await LiveQuestionsAsync(ct);

        var errors = new List<FieldError>();
        var (signature, signatureError) = SignatureImage.Parse(request.Signature!);
        if (signatureError is not null) errors.Add(new FieldError("signature", signatureError));
        var answers = CheckAnswers(request.Answers!, questions, errors);

        var dateOfBirth = request.DateOfBirth!.Value;
        if (patient.DateOfBirth is { } known && known != dateOfBirth)
        {
            link.FailedDobAttempts++;
            if (link.FailedDobAttempts >= MaxDobAttempts) link.LockedAt = Now();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            logger.LogWarning("Medical-history link {LinkId}: date of birth mismatch {Attempts}/{Max}", link.Id, link.FailedDobAttempts, MaxDobAttempts);
            errors.Insert(0, new FieldError("dateOfBirth", (MaxDobAttempts - link.FailedDobAttempts) switch
            {
                // Warn before the last try, so the patient can check the date or call the clinic first.
                1 => "Date of birth does not match our records; one try is left before this link is locked",
                <= 0 => "Date of birth does not match our records; this link is now locked, ask the clinic for a new one",
                _ => "Date of birth does not match our records",
            }));
        }
        if (errors.Count > 0) throw new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "Invalid input data", errors);

        var now = Now();
        var submission = new MedicalHistorySubmission
        {
            PatientId = patient.Id,
            LinkId = link.Id,
            DateOfBirth = dateOfBirth,
            SignatureKey = "",
            SignatureContentType = signature!.Format.ContentType,
            SubmissionHash = "",
            IpAddress = ipAddress,
            UserAgent = userAgent is { Length: > 512 } ? userAgent[..512] : userAgent,
            SubmittedAt = now,
        };
        submission.SignatureKey = $"signatures/{patient.Id:N}/{submission.Id:N}.{signature.Format.Extension}";
        var responses = answers.Select(a => new MedicalHistoryResponse
        {
            PatientId = patient.Id,
            SubmissionId = submission.Id,
            QuestionId = a.Question.Id,
            Answer = JsonSerializer.Serialize(a.Answer, StoredJson),
            QuestionText = a.Question.Question,
            QuestionType = a.Question.Type,
            QuestionOptions = a.Question.Options?.ToList(),
            QuestionOrder = a.Question.Order,
            SubmittedAt = now,
        }).ToList();
        submission.SubmissionHash = HashOf(submission, responses, signature.Bytes);

        db.Add(submission);
        db.AddRange(responses);
        patient.DateOfBirth ??= dateOfBirth;
        link.UsedAt = now;

        await files.PutAsync(submission.SignatureKey, signature.Bytes, signature.Format.ContentType, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await files.DeleteAsync(submission.SignatureKey, CancellationToken.None);
            throw;
        }
        logger.LogInformation("Medical history {SubmissionId} submitted for patient {PatientId}", submission.Id, patient.Id);
        return new MedicalHistorySubmitted(submission.Id, submission.SubmittedAt);
    }

    /// <summary>A patient's submissions, newest first, each answer with the question as it was answered.</summary>
    public async Task<IReadOnlyList<MedicalHistorySubmissionDto>> GetPatientHistoryAsync(Guid patientId, CancellationToken ct)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == patientId && p.ArchivedAt == null, ct)) throw ApiException.NotFound("Patient");
        var submissions = await db.Set<MedicalHistorySubmission>().AsNoTracking().Where(s => s.PatientId == patientId)
            .OrderByDescending(s => s.SubmittedAt).ThenByDescending(s => s.Id).ToListAsync(ct);
        var ids = submissions.Select(s => s.Id).ToList();
        var responses = (await db.Set<MedicalHistoryResponse>().AsNoTracking().Where(r => ids.Contains(r.SubmissionId)).ToListAsync(ct))
            .ToLookup(r => r.SubmissionId);

        var lifetime = fileOptions.Value.SignedUrlLifetime;
        var result = new List<MedicalHistorySubmissionDto>(submissions.Count);
        foreach (var s in submissions)
        {
            var expiresAt = Now().Add(lifetime);
            var signatureUrl = urls.Absolute(signer.Sign(s.SignatureKey, lifetime));
            result.Add(new MedicalHistorySubmissionDto(
                s.Id, s.PatientId, s.SubmittedAt, s.DateOfBirth, signatureUrl, expiresAt, s.SubmissionHash,
                responses[s.Id].OrderBy(r => r.QuestionOrder)
                    .Select(r => new AnsweredQuestion(r.QuestionId, r.QuestionText, r.QuestionType, r.QuestionOptions, r.QuestionOrder,
                        JsonSerializer.Deserialize<JsonElement>(r.Answer)))
                    .ToList()));
            await audit.RecordAccessAsync("medical_history_submissions", s.Id, ["answers", "signature"], ct);
        }
        return result;
    }

    private sealed record CheckedAnswer(MedicalHistoryQuestion Question, object Answer);

    /// <summary>Checks every answer against the live questionnaire, adding a field error for each problem.</summary>
    private static List<CheckedAnswer> CheckAnswers(IReadOnlyList<AnswerInput> answers, List<MedicalHistoryQuestion> questions, List<FieldError> errors)
    {
        var byId = questions.ToDictionary(q => q.Id);
        var result = new List<CheckedAnswer>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < answers.Count; i++)
        {
            var field = $"answers[{i}]";
            var (questionId, answer) = (answers[i].QuestionId!.Value, answers[i].Answer!.Value);
            if (!byId.TryGetValue(questionId, out var question))
            {
                errors.Add(new FieldError(field + ".questionId", "No such question on the questionnaire"));
                continue;
            }
            if (!seen.Add(questionId))
            {
                errors.Add(new FieldError(field + ".questionId", "This question is answered more than once"));
                continue;
            }
            var (value, error) = CheckAnswer(question, answer);
            if (error is not null) errors.Add(new FieldError(field + ".answer", error));
            else if (value is not null) result.Add(new CheckedAnswer(question, value));
        }
        var answered = result.Select(a => a.Question.Id).ToHashSet();
        foreach (var missing in questions.Where(q => q.Required && !answered.Contains(q.Id) && !errors.Any(e => IsAbout(e, answers, q.Id))))
            errors.Add(new FieldError("answers", $"An answer to \"{missing.Question}\" is required"));
        return result;
    }

    private static bool IsAbout(FieldError error, IReadOnlyList<AnswerInput> answers, Guid questionId) =>
        Enumerable.Range(0, answers.Count).Any(i => answers[i].QuestionId == questionId && error.Field.StartsWith($"answers[{i}]."));

    /// <summary>The answer to store (null when left empty), or why it is refused.</summary>
    private static (object? Value, string? Error) CheckAnswer(MedicalHistoryQuestion question, JsonElement answer)
    {
        switch (question.Type)
        {
            case QuestionTypes.Text or QuestionTypes.Textarea:
            {
                if (answer.ValueKind != JsonValueKind.String) return (null, "Answer must be text");
                var text = answer.GetString()!;
                var max = question.Type == QuestionTypes.Text ? MaxTextLength : MaxTextareaLength;
                if (text.Length > max) return (null, $"Answer must be at most {max:N0} characters");
                return (string.IsNullOrWhiteSpace(text) ? null : text, null);
            }
            case QuestionTypes.Radio:
            {
                if (answer.ValueKind != JsonValueKind.String) return (null, "Answer must be one of the options");
                var choice = answer.GetString()!;
                if (choice.Length == 0) return (null, null);
                return question.Options!.Contains(choice) ? (choice, null) : (null, "Answer must be one of the options");
            }
            default:
            {
                if (answer.ValueKind != JsonValueKind.Array || answer.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                    return (null, "Answer must be an array of options");
                var choices = answer.EnumerateArray().Select(e => e.GetString()!).ToList();
                if (choices.Distinct().Count() != choices.Count) return (null, "An option is chosen more than once");
                if (!choices.All(question.Options!.Contains)) return (null, "Every choice must be one of the options");
                return (choices.Count == 0 ? null : choices, null);
            }
        }
    }

    private string HashOf(MedicalHistorySubmission s, List<MedicalHistoryResponse> responses, byte[] signature)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new
        {
            s.Id, s.PatientId, s.LinkId, s.DateOfBirth, s.SubmittedAt,
            Signature = Convert.ToHexStringLower(SHA256.HashData(signature)),
            Answers = responses.OrderBy(r => r.QuestionOrder).Select(r => new { r.QuestionId, r.QuestionText, r.QuestionType, r.QuestionOptions, r.Answer }),
        }, StoredJson);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    private async Task<MedicalHistoryLink> FindUsableLinkAsync(string token, bool tracked, CancellationToken ct)
    {
        var hash = TokenService.Hash(token);
        var query = db.Set<MedicalHistoryLink>().Where(l => l.TokenHash == hash);
        var link = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct) ?? throw ApiException.NotFound("Medical-history link");
        if (link.UsedAt is not null) throw ApiException.Gone("This medical-history link has already been used");
        if (link.LockedAt is not null) throw ApiException.Gone("This medical-history link is locked after too many wrong dates of birth");
        if (link.ExpiresAt <= Now()) throw ApiException.Gone("This medical-history link has expired");
        return link;
    }

    private async Task<Patient> FindPatientOfAsync(MedicalHistoryLink link, bool tracked, CancellationToken ct)
    {
        var query = db.Patients.Where(p => p.Id == link.PatientId);
        var patient = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct);
        return patient is { ArchivedAt: null } ? patient : throw ApiException.Gone("This medical-history link is no longer valid");
    }

    private Task<List<MedicalHistoryQuestion>> LiveQuestionsAsync(CancellationToken ct) =>
        db.Set<MedicalHistoryQuestion>().AsNoTracking().Where(q => q.RetiredAt == null).OrderBy(q => q.Order).ToListAsync(ct);

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10));
    }
}
