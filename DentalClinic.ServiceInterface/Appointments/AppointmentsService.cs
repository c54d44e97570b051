using System.Text.Json;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// Appointments. The overlap rule (docs/architecture.md, "Data rules"): an appointment occupies [time, time + its type's
/// duration) on its date; one that overlaps another non-cancelled appointment of the same date is
/// refused with 409 naming the other, unless the request says allowOverlap. Every booking that
/// can create an overlap runs under a per-date lock, so two concurrent overlapping bookings cannot
/// both succeed. DELETE cancels (the appointment stays on record, its slot is freed).
/// </summary>
public sealed class AppointmentsService(AppDbContext db, CursorCodec cursors, DayCalendarCache calendars, IOptions<JsonOptions> json)
{
    private sealed record Position(DateOnly Date, TimeOnly Time, Guid Id);

    public async Task<PagedResult<AppointmentDto>> QueryAsync(QueryAppointments request, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        var query = db.Appointments.AsNoTracking();
        if (ClinicRules.ParseDate(request.From) is { } from) query = query.Where(a => a.Date >= from);
        if (ClinicRules.ParseDate(request.To) is { } to) query = query.Where(a => a.Date <= to);
        if (request.PatientId is { } patientId) query = query.Where(a => a.PatientId == patientId);
        if (request.Status is { } status) query = query.Where(a => a.Status == status);
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
    /// One day's calendar as JSON: by time, with the patient's name and the type's name, colour and
    /// duration. Served from <see cref="DayCalendarCache"/> while the day's <see cref="CalendarStamp"/>s
    /// are those it was read after; they are read first, so a calendar is never older than its stamps.
    /// </summary>
    public async Task<byte[]> DayCalendarJsonAsync(DateOnly date, CancellationToken ct)
    {
        long? dayStamp = null, everyDayStamp = null;
        await foreach (var stamp in StampsQuery.For(db)(db, date).WithCancellation(ct))
        {
            if (stamp.Date == date) dayStamp = stamp.Stamp;
            if (stamp.Date == CalendarStamp.EveryDay) everyDayStamp = stamp.Stamp;
        }
        if (calendars.Find(date, dayStamp, everyDayStamp) is { } cached) return cached;

        var day = new List<DayAppointmentDto>();
        await foreach (var row in DayQuery.For(db)(db, date).WithCancellation(ct)) day.Add(row);
        var calendar = JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<DayAppointmentDto>>(day, json.Value.SerializerOptions);
        calendars.Keep(date, dayStamp, everyDayStamp, calendar);
        return calendar;
    }

    private static readonly CompiledQuery<Func<AppDbContext, DateOnly, IAsyncEnumerable<CalendarStamp>>> StampsQuery = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, DateOnly date) =>
            db.CalendarStamps.AsNoTracking().Where(s => s.Date == date || s.Date == CalendarStamp.EveryDay)));

    private static readonly CompiledQuery<Func<AppDbContext, DateOnly, IAsyncEnumerable<DayAppointmentDto>>> DayQuery = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, DateOnly date) =>
            from a in db.Appointments.IgnoreQueryFilters().AsNoTracking()
            join p in db.Patients.IgnoreQueryFilters() on a.PatientId equals p.Id
            join t in db.AppointmentTypes.IgnoreQueryFilters() on a.AppointmentTypeId equals t.Id
            where a.Date == date
            orderby a.Time, a.Id
            select new DayAppointmentDto(
                a.Id, a.PatientId, a.AppointmentTypeId, a.Date, ClinicRules.FormatTime(a.Time),
                EndTime(a.Time, t.Duration), a.Status, a.Notes,
                p.FirstName, p.LastName, FullName(p.FirstName, p.LastName), t.Name, t.Color, t.Duration,
                a.CreatedAt, a.UpdatedAt)));

    private static string FullName(string first, string last) => $"{first} {last}";

    public async Task<AppointmentDto> GetAsync(Guid id, CancellationToken ct) =>
        Map(await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment"));

    public async Task<AppointmentDto> CreateAsync(CreateAppointment request, CancellationToken ct)
    {
        var appointment = new Appointment
        {
            PatientId = request.PatientId!.Value,
            AppointmentTypeId = request.AppointmentTypeId!.Value,
            Date = ClinicRules.ParseDate(request.Date)!.Value,
            Time = ClinicRules.ParseTime(request.Time)!.Value,
            Status = request.Status ?? AppointmentStatus.Pending,
            Notes = ClinicRules.EmptyToNull(request.Notes),
        };
        await using var tx = await db.BeginLockedTransactionAsync(LockName(appointment.Date), ct);
        await ClinicRules.EnsurePatientAndTypeUsableAsync(db, appointment.PatientId, appointment.AppointmentTypeId, ct);
        var duration = await EnsureEndsByMidnightAsync(appointment, ct);
        if (appointment.Status != AppointmentStatus.Cancelled && request.AllowOverlap != true) await EnsureNoOverlapAsync(appointment, duration, ct);
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Map(appointment);
    }

    public async Task<AppointmentDto> UpdateAsync(Guid id, UpdateAppointment request, CancellationToken ct)
    {
        var date = ClinicRules.ParseDate(request.Date);
        // Lock the date the appointment ends up on: the only one where it can create an overlap.
        var targetDate = date ?? await db.Appointments.Where(a => a.Id == id).Select(a => (DateOnly?)a.Date).FirstOrDefaultAsync(ct)
            ?? throw ApiException.NotFound("Appointment");
        await using var tx = await db.BeginLockedTransactionAsync(LockName(targetDate), ct);
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment");
        if (date is null && appointment.Date != targetDate)
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "The appointment was moved meanwhile; try again");

        var wasActive = appointment.Status != AppointmentStatus.Cancelled;
        var (oldDate, oldTime, oldType) = (appointment.Date, appointment.Time, appointment.AppointmentTypeId);
        var newPatient = request.PatientId is { } p && p != appointment.PatientId ? p : (Guid?)null;
        var newType = request.AppointmentTypeId is { } t && t != appointment.AppointmentTypeId ? t : (Guid?)null;
        await ClinicRules.EnsurePatientAndTypeUsableAsync(db, newPatient, newType, ct);

        appointment.PatientId = request.PatientId ?? appointment.PatientId;
        appointment.AppointmentTypeId = request.AppointmentTypeId ?? appointment.AppointmentTypeId;
        appointment.Date = targetDate;
        appointment.Time = ClinicRules.ParseTime(request.Time) ?? appointment.Time;
        appointment.Status = request.Status ?? appointment.Status;
        if (request.Notes is not null) appointment.Notes = ClinicRules.EmptyToNull(request.Notes);

        // Re-checked only when the slot it occupies changes or it becomes active again, so that
        // editing the notes of an appointment booked with allowOverlap stays possible.
        var isActive = appointment.Status != AppointmentStatus.Cancelled;
        var slotChanged = oldDate != appointment.Date || oldTime != appointment.Time || oldType != appointment.AppointmentTypeId;
        if (slotChanged || (isActive && !wasActive))
        {
            var duration = await EnsureEndsByMidnightAsync(appointment, ct);
            if (isActive && request.AllowOverlap != true) await EnsureNoOverlapAsync(appointment, duration, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Map(appointment);
    }

    /// <summary>DELETE cancels: the appointment stays on record (status cancelled) and frees its slot.</summary>
    public async Task CancelAsync(Guid id, CancellationToken ct)
    {
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ApiException.NotFound("Appointment");
        if (appointment.Status == AppointmentStatus.Cancelled) return;
        appointment.Status = AppointmentStatus.Cancelled;
        await db.SaveChangesAsync(ct);
    }

    private static string LockName(DateOnly date) => $"appointments:{date:yyyy-MM-dd}";


    /// <summary>An appointment ends on the date it starts (the overlap rule is per date). Returns its duration.</summary>
    private async Task<int> EnsureEndsByMidnightAsync(Appointment appointment, CancellationToken ct)
    {
        var duration = await db.AppointmentTypes.IgnoreQueryFilters()
            .Where(t => t.Id == appointment.AppointmentTypeId).Select(t => t.Duration).FirstAsync(ct);
        if (Minutes(appointment.Time) + duration > MinutesPerDay)
            throw ApiException.Invalid("time", $"The appointment must end by midnight; its type lasts {duration} minutes");
        return duration;
    }

    private async Task EnsureNoOverlapAsync(Appointment appointment, int duration, CancellationToken ct)
    {
        var others = await (
            from a in db.Appointments.AsNoTracking()
            join t in db.AppointmentTypes.IgnoreQueryFilters() on a.AppointmentTypeId equals t.Id
            where a.Date == appointment.Date && a.Status != AppointmentStatus.Cancelled && a.Id != appointment.Id
            select new { a.Id, a.Time, t.Duration }).ToListAsync(ct);

        var start = Minutes(appointment.Time);
        var end = start + duration;
        var clash = others
            .Where(o => Minutes(o.Time) < end && start < Minutes(o.Time) + o.Duration)
            .OrderBy(o => o.Time).ThenBy(o => o.Id)
            .FirstOrDefault();
        if (clash is null) return;
        var message = $"The appointment overlaps appointment {clash.Id} at {ClinicRules.FormatTime(clash.Time)} on {appointment.Date:yyyy-MM-dd}; send allowOverlap: true to book it anyway";
        throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.Conflict, message,
            [new FieldError("time", message), new FieldError("conflictingAppointmentId", clash.Id.ToString())]);
    }

    private const int MinutesPerDay = 24 * 60;

    private static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    /// <summary>HH:mm of the end; an appointment that ends at midnight ends at "24:00".</summary>
    internal static string EndTime(TimeOnly start, int duration)
    {
        var end = Minutes(start) + duration;
        return $"{end / 60:00}:{end % 60:00}";
    }

    private static AppointmentDto Map(Appointment a) => new(
        a.Id, a.PatientId, a.AppointmentTypeId, a.Date, ClinicRules.FormatTime(a.Time), a.Status, a.Notes, a.CreatedAt, a.UpdatedAt);
}
