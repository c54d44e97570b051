using System.Text.Json;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// Appointments. An appointment occupies [time, time + its type's duration) on its date while its
/// status is neither cancelled nor no-show. A booking (a create, or an update that changes date,
/// time, type, patient, dentist or chair, or makes it occupy time again) is checked against the
/// booking rules (<see cref="DaySchedule.Check"/>, shared with free-slot search) and refused with 409
/// naming the rule and the clashing appointment, unless an admin or dentist says allowOverlap.
/// Every booking runs under a per-date lock (the rules only look at one date: appointments end by
/// midnight) and holds the schedule configuration lock shared, so two concurrent bookings that
/// together would break a rule cannot both succeed — on PostgreSQL across every API instance
/// (advisory locks), on SQLite by its single writer. DELETE removes an appointment entered in error.
/// </summary>
public sealed class AppointmentsService(
    AppDbContext db, CursorCodec cursors, DayCalendarCache calendars, ScheduleSnapshotCache snapshots, IOptions<JsonOptions> json,
    IServiceProvider services, TimeProvider clock)
{
    private sealed record Position(DateOnly Date, TimeOnly Time, Guid Id);

    public const int MaxRangeDays = 31;

    public async Task<PagedResult<AppointmentDto>> QueryAsync(QueryAppointments request, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        // Prepared: its optional conditions make at most 2^7 shapes of SQL.
        var query = db.Appointments.AsNoTracking().TagWith(PreparedQueries.Tag);
        if (ClinicRules.ParseDate(request.From) is { } from) query = query.Where(a => a.Date >= from);
        if (ClinicRules.ParseDate(request.To) is { } to) query = query.Where(a => a.Date <= to);
        if (request.PatientId is { } patientId) query = query.Where(a => a.PatientId == patientId);
        if (request.Status is { } status) query = query.Where(a => a.Status == status);
        if (request.DentistId is { } dentistId) query = query.Where(a => a.DentistId == dentistId);
        if (request.ChairId is { } chairId) query = query.Where(a => a.ChairId == chairId);
        if (request.Cursor is not null)
        {
            var after = cursors.Decode<Position>(request.Cursor);
            query = query.Where(a => a.Date > after.Date ||
                                     (a.Date == after.Date && (a.Time > after.Time ||
                                                               (a.Time == after.Time && a.Id.CompareTo(after.Id) > 0))));
        }
        var rows = await query.OrderBy(a => a.Date).ThenBy(a => a.Time).ThenBy(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new Position(rows[^1].Date, rows[^1].Time, rows[^1].Id)) : null;
        return new PagedResult<AppointmentDto>(rows.Select(Map).ToList(), new Pagination(limit, next, hasMore));
    }

    /// <summary>
    /// One day's calendar as JSON: by time, with the patient's name, the type's name, colour and
    /// duration, the dentist's and chair's names and colours. Served from <see cref="DayCalendarCache"/>
    /// while the day's <see cref="CalendarStamp"/>s are those it was read after; they are read first, so a
    /// calendar is never older than its stamps.
    /// </summary>
    public async Task<byte[]> DayCalendarJsonAsync(DateOnly date, CancellationToken ct)
    {
        long? dayStamp = null, everyDayStamp = null;
        await foreach (var stamp in StampsQuery.For(db)(db, date).WithCancellation(ct))
        {
            if (stamp.Date == date) dayStamp = stamp.Stamp;
            if (stamp.Date == CalendarStamp.EveryDay) everyDayStamp = stamp.Stamp;
        }
        if (calendars.Find(date, dayStamp, everyDayStamp) is { } cached) return cached.Json;

        var day = new List<DayAppointmentDto>();
        await foreach (var row in DayQuery.For(db)(db, date, date).WithCancellation(ct)) day.Add(row);
        return calendars.Keep(date, dayStamp, everyDayStamp, day, Serialize(day)).Json;
    }

    /// <summary>
    /// The by-date items of every day from..to, ordered by date and time, as JSON: each day comes from
    /// <see cref="DayCalendarCache"/> under its stamps as by-date does; the days not cached are read in one query.
    /// </summary>
    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> CalendarJsonAsync(QueryCalendar request, CancellationToken ct)
    {
        var (from, to) = Range(request.From, request.To);
        var (days, _) = await DaysAsync(from, to, ct);

        if (request.DentistId is not null || request.ChairId is not null)
            return [Serialize(days.SelectMany(d => d.Items)
                .Where(a => (request.DentistId is null || a.DentistId == request.DentistId) && (request.ChairId is null || a.ChairId == request.ChairId))
                .ToList())];

        // Each day's JSON is an array: their contents, comma-separated, inside one pair of brackets — sent
        // as they are cached, never copied into one array (a week is a few hundred kB).
        var segments = new List<ReadOnlyMemory<byte>> { OpenBracket };
        foreach (var day in days.Where(d => d.Items.Count > 0))
        {
            if (segments.Count > 1) segments.Add(Comma);
            segments.Add(day.Json.AsMemory(1, day.Json.Length - 2));
        }
        segments.Add(CloseBracket);
        return segments;
    }

    private static readonly ReadOnlyMemory<byte> OpenBracket = "["u8.ToArray(), Comma = ","u8.ToArray(), CloseBracket = "]"u8.ToArray();

    /// <summary>
    /// The day calendars of from..to, each from <see cref="DayCalendarCache"/> under its stamps as by-date's
    /// (the days not cached are read in one query), and the <see cref="CalendarStamp.Schedule"/> stamp:
    /// every stamp is read first, in one query.
    /// </summary>
    public async Task<(IReadOnlyList<DayCalendarCache.Day> Days, long? ScheduleStamp)> DaysAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var stamps = await RangeStampsQuery.For(db)(db, from, to).ToListAsync(ct);
        long? everyDay = null, schedule = null;
        var dayStamps = new Dictionary<DateOnly, long?>();
        foreach (var s in stamps)
        {
            if (s.Date == CalendarStamp.EveryDay) everyDay = s.Stamp;
            else if (s.Date == CalendarStamp.Schedule) schedule = s.Stamp;
            else dayStamps[s.Date] = s.Stamp;
        }

        var days = new List<DayCalendarCache.Day>();
        var missing = new List<DateOnly>();
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            var found = calendars.Find(date, dayStamps.GetValueOrDefault(date), everyDay);
            if (found is null) missing.Add(date);
            days.Add(found!);
        }
        if (missing.Count > 0)
        {
            var rows = new List<DayAppointmentDto>();
            await foreach (var row in DayQuery.For(db)(db, missing[0], missing[^1]).WithCancellation(ct)) rows.Add(row);
            var byDate = rows.ToLookup(r => r.Date);
            foreach (var date in missing)
            {
                var items = byDate[date].ToList();
                days[date.DayNumber - from.DayNumber] = calendars.Keep(date, dayStamps.GetValueOrDefault(date), everyDay, items, Serialize(items));
            }
        }
        return (days, schedule);
    }

    private byte[] Serialize(List<DayAppointmentDto> items) =>
        JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<DayAppointmentDto>>(items, json.Value.SerializerOptions);

    /// <summary>An inclusive date range of at most <see cref="MaxRangeDays"/> days (validated by the request's validator).</summary>
    public static (DateOnly From, DateOnly To) Range(string? from, string? to) =>
        (ClinicRules.ParseDate(from)!.Value, ClinicRules.ParseDate(to)!.Value);

    private static readonly CompiledQuery<Func<AppDbContext, DateOnly, IAsyncEnumerable<CalendarStamp>>> StampsQuery = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, DateOnly date) =>
            db.CalendarStamps.AsNoTracking().TagWith(PreparedQueries.Tag).Where(s => s.Date == date || s.Date == CalendarStamp.EveryDay)));

    private static readonly CompiledQuery<Func<AppDbContext, DateOnly, DateOnly, IAsyncEnumerable<CalendarStamp>>> RangeStampsQuery = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, DateOnly from, DateOnly to) =>
            db.CalendarStamps.AsNoTracking().TagWith(PreparedQueries.Tag)
                .Where(s => (s.Date >= from && s.Date <= to) || s.Date == CalendarStamp.EveryDay || s.Date == CalendarStamp.Schedule)));

    private static readonly CompiledQuery<Func<AppDbContext, DateOnly, DateOnly, IAsyncEnumerable<DayAppointmentDto>>> DayQuery = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, DateOnly first, DateOnly last) =>
            from a in db.Appointments.IgnoreQueryFilters().AsNoTracking().TagWith(PreparedQueries.Tag)
            join p in db.Patients.IgnoreQueryFilters() on a.PatientId equals p.Id
            join t in db.AppointmentTypes.IgnoreQueryFilters() on a.AppointmentTypeId equals t.Id
            from d in db.Users.Where(u => u.Id == a.DentistId).DefaultIfEmpty()
            from c in db.Chairs.IgnoreQueryFilters().Where(c => c.Id == a.ChairId).DefaultIfEmpty()
            where a.Date >= first && a.Date <= last
            orderby a.Date, a.Time, a.Id
            select new DayAppointmentDto(
                a.Id, a.PatientId, a.AppointmentTypeId, a.Date, ClinicRules.FormatTime(a.Time),
                EndTime(a.Time, t.Duration), a.Status, a.Notes,
                p.FirstName, p.LastName, FullName(p.FirstName, p.LastName), t.Name, t.Color, t.Duration,
                a.CreatedAt, a.UpdatedAt,
                a.DentistId, d == null ? null : d.Name, d == null ? null : d.CalendarColor,
                a.ChairId, c == null ? null : c.Name, c == null ? null : c.Color,
                a.CancelReason)));

    private static string FullName(string first, string last) => $"{first} {last}";

    public async Task<AppointmentDto> GetAsync(Guid id, CancellationToken ct) =>
        Map(await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment"));

    public async Task<AppointmentDto> CreateAsync(CreateAppointment request, bool canOverride, CancellationToken ct)
    {
        var appointment = new Appointment
        {
            PatientId = request.PatientId!.Value,
            AppointmentTypeId = request.AppointmentTypeId!.Value,
            Date = ClinicRules.ParseDate(request.Date)!.Value,
            Time = ClinicRules.ParseTime(request.Time)!.Value,
            Status = request.Status ?? AppointmentStatus.Pending,
            Notes = ClinicRules.EmptyToNull(request.Notes),
            DentistId = request.DentistId,
            ChairId = request.ChairId,
        };
        if (appointment.Status is AppointmentStatus.Arrived or AppointmentStatus.Completed or AppointmentStatus.NoShow)
            await EnsureNotInFutureAsync(appointment, ct);
        // What the rules read besides the day's appointments (types, dentists, chairs, hours, closures) comes from
        // the schedule snapshot kept under the stamp read here, inside the locks: the same data as a query for each.
        var (tx, scheduleStamp, patientUsable, occupants) = await BeginBookingWithReadsAsync(appointment.PatientId, appointment.Date, ct);
        await using var _ = tx;
        var schedule = await snapshots.GetAsync(scheduleStamp, db, services, ct);
        ClinicRules.EnsureUsable(patientUsable, schedule.Durations.ContainsKey(appointment.AppointmentTypeId));
        if (appointment.DentistId is { } dentist && !schedule.Dentists.Contains(dentist)) throw ApiException.Invalid("dentistId", ScheduleService.NoSuchDentist);
        if (appointment.ChairId is { } chair && !schedule.Chairs.Contains(chair)) throw ApiException.Invalid("chairId", ScheduleService.NoSuchChair);
        var duration = EnsureEndsByMidnight(appointment, schedule.Durations[appointment.AppointmentTypeId]);
        if (AppointmentStatus.Occupies(appointment.Status))
            EnsureRules(schedule.Rules.Day(appointment.Date, occupants), appointment, duration, request.AllowOverlap, canOverride);
        db.Appointments.Add(appointment);
        // The booking's transaction is all or nothing: no savepoint around its one save (two round trips fewer).
        db.Database.AutoSavepointsEnabled = false;
        try { await db.SaveChangesAsync(ct); }
        finally { db.Database.AutoSavepointsEnabled = true; }
        await tx.CommitAsync(ct);
        return Map(appointment);
    }

    public async Task<AppointmentDto> UpdateAsync(Guid id, UpdateAppointment request, bool canOverride, CancellationToken ct)
    {
        var date = ClinicRules.ParseDate(request.Date);
        // Lock the date the appointment ends up on: the only one where it can break a rule.
        var targetDate = date ?? await db.Appointments.Where(a => a.Id == id).Select(a => (DateOnly?)a.Date).FirstOrDefaultAsync(ct)
            ?? throw ApiException.NotFound("Appointment");
        await using var tx = await BeginBookingAsync(targetDate, ct);
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment");
        if (date is null && appointment.Date != targetDate)
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "The appointment was moved meanwhile; try again");

        var before = (appointment.Date, appointment.Time, appointment.AppointmentTypeId, appointment.PatientId, appointment.DentistId, appointment.ChairId, appointment.Status);
        var newPatient = request.PatientId is { } p && p != appointment.PatientId ? p : (Guid?)null;
        var newType = request.AppointmentTypeId is { } t && t != appointment.AppointmentTypeId ? t : (Guid?)null;
        await ClinicRules.EnsurePatientAndTypeUsableAsync(db, newPatient, newType, ct);
        var newDentist = request.DentistId is { } d && d != Guid.Empty && d != appointment.DentistId ? d : (Guid?)null;
        var newChair = request.ChairId is { } c && c != Guid.Empty && c != appointment.ChairId ? c : (Guid?)null;
        await ScheduleService.EnsureDentistAsync(db, newDentist, "dentistId", ct);
        await ScheduleService.EnsureChairAsync(db, newChair, ct);

        appointment.PatientId = request.PatientId ?? appointment.PatientId;
        appointment.AppointmentTypeId = request.AppointmentTypeId ?? appointment.AppointmentTypeId;
        appointment.Date = targetDate;
        appointment.Time = ClinicRules.ParseTime(request.Time) ?? appointment.Time;
        if (request.DentistId is { } dentist) appointment.DentistId = dentist == Guid.Empty ? null : dentist;
        if (request.ChairId is { } chair) appointment.ChairId = chair == Guid.Empty ? null : chair;
        if (request.Notes is not null) appointment.Notes = ClinicRules.EmptyToNull(request.Notes);
        if (request.Status is { } status && status != appointment.Status)
        {
            AppointmentLifecycle.EnsureMove(appointment.Status, status);
            appointment.Status = status;
            if (status != AppointmentStatus.Cancelled) appointment.CancelReason = null;
        }
        if (request.CancelReason is not null && appointment.Status == AppointmentStatus.Cancelled)
            appointment.CancelReason = ClinicRules.EmptyToNull(request.CancelReason)?.Trim();
        if (appointment.Status is AppointmentStatus.Arrived or AppointmentStatus.Completed or AppointmentStatus.NoShow &&
            (appointment.Status != before.Status || appointment.Date != before.Date))
            await EnsureNotInFutureAsync(appointment, ct);

        // Re-checked only when the time or who and where it occupies changes, or it occupies time again,
        // so that editing the notes or status of an appointment booked with allowOverlap stays possible.
        var occupies = AppointmentStatus.Occupies(appointment.Status);
        var moved = before != (appointment.Date, appointment.Time, appointment.AppointmentTypeId, appointment.PatientId,
            appointment.DentistId, appointment.ChairId, before.Status);
        if (moved || (occupies && !AppointmentStatus.Occupies(before.Status)))
        {
            var duration = await EnsureEndsByMidnightAsync(appointment, ct);
            if (occupies) EnsureRules(await BookingRules.LoadAsync(db, appointment.Date, ct), appointment, duration, request.AllowOverlap, canOverride);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Map(appointment);
    }

    /// <summary>Cancels with a reason kept on the appointment (POST /{id}/cancel); frees its time.</summary>
    public async Task<AppointmentDto> CancelAsync(Guid id, string? reason, CancellationToken ct)
    {
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment");
        if (appointment.Status != AppointmentStatus.Cancelled) AppointmentLifecycle.EnsureMove(appointment.Status, AppointmentStatus.Cancelled);
        appointment.Status = AppointmentStatus.Cancelled;
        appointment.CancelReason = ClinicRules.EmptyToNull(reason)?.Trim();
        await db.SaveChangesAsync(ct);
        return Map(appointment);
    }

    /// <summary>
    /// Removes an appointment entered in error, with its reminders and their attempts, in one
    /// transaction: afterwards it is 404, in no list or calendar, and its time is free. The audit log
    /// keeps the before-image of every removed row.
    /// </summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment");
        db.Set<AppointmentReminderAttempt>().RemoveRange(await db.Set<AppointmentReminderAttempt>().Where(a => a.AppointmentId == id).ToListAsync(ct));
        db.Set<AppointmentReminder>().RemoveRange(await db.Set<AppointmentReminder>().Where(r => r.AppointmentId == id).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        db.Appointments.Remove(appointment);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A booking transaction: the date's lock, and the schedule configuration's lock shared.</summary>
    private Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginBookingAsync(DateOnly date, CancellationToken ct) =>
        db.BeginLockedTransactionAsync(LockName(date), ct, sharedLockName: ScheduleService.ConfigLock);

    public static string LockName(DateOnly date) => $"appointments:{date:yyyy-MM-dd}";

    /// <summary>Arrived, completed and no-show only on or after the appointment's date (clinic time): 400 on status.</summary>
    private async Task EnsureNotInFutureAsync(Appointment appointment, CancellationToken ct)
    {
        var (today, _) = await ClinicNowAsync(ct);
        if (appointment.Date > today)
            throw ApiException.Invalid("status", $"An appointment can be {appointment.Status} only on or after its date ({appointment.Date:yyyy-MM-dd})");
    }

    /// <summary>Today's date and the minute of the day on the clinic's clock (settings: timezone).</summary>
    public async Task<(DateOnly Today, int Minute)> ClinicNowAsync(CancellationToken ct)
    {
        var settings = await services.GetRequiredService<SettingsService>().GetWithoutLogoAsync(ct);
        return ClinicNow(settings.Timezone);
    }

    public (DateOnly Today, int Minute) ClinicNow(string timezone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, ClinicTime.Zone(timezone));
        return (DateOnly.FromDateTime(local), local.Hour * 60 + local.Minute);
    }

    /// <summary>An appointment ends on the date it starts (the rules are per date). Returns its duration.</summary>
    private async Task<int> EnsureEndsByMidnightAsync(Appointment appointment, CancellationToken ct) =>
        EnsureEndsByMidnight(appointment, await db.AppointmentTypes.IgnoreQueryFilters()
            .Where(t => t.Id == appointment.AppointmentTypeId).Select(t => t.Duration).FirstAsync(ct));

    private static int EnsureEndsByMidnight(Appointment appointment, int duration)
    {
        if (BookingRules.Minutes(appointment.Time) + duration > BookingRules.MinutesPerDay)
            throw ApiException.Invalid("time", $"The appointment must end by midnight; its type lasts {duration} minutes");
        return duration;
    }

    /// <summary>
    /// A new booking's transaction with its locks (<see cref="BeginBookingAsync"/>), and its reads inside them: the
    /// schedule's stamp, whether the patient may be booked (held shared on PostgreSQL, see <see cref="ClinicRules"/>)
    /// and the date's occupants. PostgreSQL takes the locks and reads in one round trip instead of four: a prepared
    /// batch of four statements, the locks first, each of the reads seeing what committed before it began — after
    /// the locks were granted — as separate queries would.
    /// </summary>
    private async Task<(IDbContextTransaction Transaction, long? ScheduleStamp, bool PatientUsable, List<Occupant> Occupants)> BeginBookingWithReadsAsync(
        Guid patientId, DateOnly date, CancellationToken ct)
    {
        if (!db.IsPostgres)
        {
            var transaction = await BeginBookingAsync(date, ct);
            return (transaction, await ScheduleStampQuery.For(db)(db), await ClinicRules.PatientUsableAsync(db, patientId, ct),
                await BookingRules.OccupantsAsync(db, date, ct));
        }
        var (tx, locks) = await db.BeginLockingBatchAsync(LockName(date), ScheduleService.ConfigLock, ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(),
                (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction())
            {
                BatchCommands =
                {
                    locks,
                    new NpgsqlBatchCommand("SELECT stamp FROM calendar_stamps WHERE date = $1") { Parameters = { new() { Value = CalendarStamp.Schedule } } },
                    new NpgsqlBatchCommand(ClinicRules.PatientUsableSql) { Parameters = { new() { Value = patientId } } },
                    new NpgsqlBatchCommand(BookingRules.OccupantsSql) { Parameters = { new() { Value = date } } },
                },
            };
            if (db.Database.GetCommandTimeout() is { } timeout) batch.Timeout = timeout;
            await PreparedQueries.PrepareAsync(batch);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            long? stamp = await reader.ReadAsync(ct) ? reader.GetInt64(0) : null;
            await reader.NextResultAsync(ct);
            var patientUsable = await reader.ReadAsync(ct);
            await reader.NextResultAsync(ct);
            var occupants = new List<Occupant>();
            while (await reader.ReadAsync(ct)) occupants.Add(BookingRules.ReadOccupant(reader));
            return (tx, stamp, patientUsable, occupants);
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    private static readonly CompiledQuery<Func<AppDbContext, Task<long?>>> ScheduleStampQuery = new(() =>
        EF.CompileAsyncQuery((AppDbContext db) =>
            db.CalendarStamps.Where(s => s.Date == CalendarStamp.Schedule).Select(s => (long?)s.Stamp).FirstOrDefault()));

    /// <summary>
    /// The booking rules (<see cref="DaySchedule.Check"/>) on the appointment's day: 409 naming the rule and the clashing
    /// appointment; with allowOverlap, an admin or dentist books anyway and anyone else gets 403.
    /// </summary>
    private static void EnsureRules(DaySchedule day, Appointment appointment, int duration, bool? allowOverlap, bool canOverride)
    {
        var start = BookingRules.Minutes(appointment.Time);
        var violation = day.Check(new Candidate(start, start + duration, appointment.DentistId, appointment.ChairId, appointment.PatientId, appointment.Id));
        if (violation is null) return;
        if (allowOverlap == true)
        {
            if (canOverride) return;
            throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                $"{violation.Message}; only an admin or a dentist may book it anyway (allowOverlap)", Details(violation, "allowOverlap"));
        }
        throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.Conflict,
            $"{violation.Message}; send allowOverlap: true (admin, dentist) to book it anyway", Details(violation, "time"));
    }

    private static List<FieldError> Details(Violation violation, string field)
    {
        var details = new List<FieldError> { new(field, violation.Message), new("rule", violation.Rule) };
        if (violation.ClashId is { } clash) details.Add(new FieldError("conflictingAppointmentId", clash.ToString()));
        return details;
    }

    /// <summary>
    /// HH:mm of the end; an appointment that ends at midnight ends at "24:00". One booked before its type was
    /// lengthened may run past midnight: its day still ends at "24:00".
    /// </summary>
    internal static string EndTime(TimeOnly start, int duration) => BookingRules.Format(Math.Min(BookingRules.Minutes(start) + duration, BookingRules.MinutesPerDay));

    private static AppointmentDto Map(Appointment a) => new(
        a.Id, a.PatientId, a.AppointmentTypeId, a.Date, ClinicRules.FormatTime(a.Time), a.Status, a.Notes, a.CreatedAt, a.UpdatedAt,
        a.DentistId, a.ChairId, a.CancelReason);
}

/// <summary>
/// The moves between statuses: pending ⇄ confirmed; either → arrived, completed, cancelled, no-show;
/// arrived → completed, cancelled, or back to pending/confirmed (a mistaken check-in); cancelled and
/// no-show → pending or confirmed (booked again; the rules apply), no-show → arrived or cancelled;
/// completed is final. Anything else is a 400 naming status.
/// </summary>
public static class AppointmentLifecycle
{
    private static readonly Dictionary<string, string[]> Moves = new()
    {
        [AppointmentStatus.Pending] = [AppointmentStatus.Confirmed, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow],
        [AppointmentStatus.Confirmed] = [AppointmentStatus.Pending, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow],
        [AppointmentStatus.Arrived] = [AppointmentStatus.Pending, AppointmentStatus.Confirmed, AppointmentStatus.Completed, AppointmentStatus.Cancelled],
        [AppointmentStatus.Completed] = [],
        [AppointmentStatus.Cancelled] = [AppointmentStatus.Pending, AppointmentStatus.Confirmed],
        [AppointmentStatus.NoShow] = [AppointmentStatus.Pending, AppointmentStatus.Confirmed, AppointmentStatus.Arrived, AppointmentStatus.Cancelled],
    };

    public static bool CanMove(string from, string to) => from == to || (Moves.TryGetValue(from, out var to_) && to_.Contains(to));

    public static void EnsureMove(string from, string to)
    {
        if (!CanMove(from, to)) throw ApiException.Invalid("status", $"A {from} appointment cannot become {to}");
    }
}
