using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Schedule;

/// <summary>
/// What the booking rules read besides appointments: dentists, chairs, opening and working hours,
/// closures and time off. Every write here holds the schedule lock exclusively (<see cref="ConfigLock"/>),
/// and every booking holds it shared, so a booking never decides on a chair count, hours or a
/// closure that a concurrent change is replacing.
/// </summary>
public sealed class ScheduleService(AppDbContext db, TimeProvider clock)
{
    public const string ConfigLock = "schedule:config";
    public const string NoSuchDentist = "The dentist does not exist, is not a dentist or is not active";
    public const string NoSuchChair = "The chair does not exist or is archived";
    public const string NoSuchType = "The appointment type does not exist or is archived";
    private const string ChairNameTaken = "An active chair with this name already exists";

    // --- dentists ---------------------------------------------------------------------------

    public async Task<IReadOnlyList<DentistDto>> DentistsAsync(CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Role == Roles.Dentist && u.IsActive)
            .OrderBy(u => u.Name).ThenBy(u => u.Id)
            .Select(u => new DentistDto(u.Id, u.Name, u.CalendarColor)).ToListAsync(ct);

    /// <summary>A dentist named in a request must be an active user with role dentist (400 on <paramref name="field"/>).</summary>
    public static async Task EnsureDentistAsync(AppDbContext db, Guid? dentistId, string field, CancellationToken ct)
    {
        if (dentistId is { } id && !await db.Users.AnyAsync(u => u.Id == id && u.Role == Roles.Dentist && u.IsActive, ct))
            throw ApiException.Invalid(field, NoSuchDentist);
    }

    /// <summary>A chair named in a booking must exist and not be archived (400 on chairId).</summary>
    public static async Task EnsureChairAsync(AppDbContext db, Guid? chairId, CancellationToken ct)
    {
        if (chairId is { } id && !await db.Chairs.AnyAsync(c => c.Id == id && c.ArchivedAt == null, ct))
            throw ApiException.Invalid("chairId", NoSuchChair);
    }

    // --- chairs -----------------------------------------------------------------------------

    public async Task<IReadOnlyList<ChairDto>> ChairsAsync(bool archived, CancellationToken ct) =>
        (await db.Chairs.AsNoTracking().Where(c => archived ? c.ArchivedAt != null : c.ArchivedAt == null)
            .OrderBy(c => c.DisplayOrder).ThenBy(c => c.NormalizedName).ThenBy(c => c.Id).ToListAsync(ct))
        .Select(Map).ToList();

    public async Task<ChairDto> ChairAsync(Guid id, CancellationToken ct) =>
        Map(await db.Chairs.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ApiException.NotFound("Chair"));

    public async Task<ChairDto> CreateChairAsync(CreateChair request, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(ConfigLock, ct);
        var chair = new Chair { Name = request.Name!.Trim(), Color = request.Color!, DisplayOrder = request.DisplayOrder ?? 0 };
        await EnsureChairNameFreeAsync(chair.NormalizedName, null, ct);
        db.Chairs.Add(chair);
        await SaveChairAsync(ct);
        await tx.CommitAsync(ct);
        return Map(chair);
    }

    public async Task<ChairDto> UpdateChairAsync(Guid id, UpdateChair request, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(ConfigLock, ct);
        var chair = await db.Chairs.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ApiException.NotFound("Chair");
        if (chair.ArchivedAt is not null) throw ApiException.Conflict("id", "An archived chair cannot be changed");
        if (request.Name is not null)
        {
            var normalized = request.Name.Trim().ToLowerInvariant();
            if (normalized != chair.NormalizedName) await EnsureChairNameFreeAsync(normalized, id, ct);
            chair.Name = request.Name.Trim();
        }
        if (request.Color is not null) chair.Color = request.Color;
        if (request.DisplayOrder is { } order) chair.DisplayOrder = order;
        await SaveChairAsync(ct);
        await tx.CommitAsync(ct);
        return Map(chair);
    }

    /// <summary>Archives a chair that has appointments (it stays on them, and can no longer be booked); removes one that has none.</summary>
    public async Task DeleteChairAsync(Guid id, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(ConfigLock, ct);
        var chair = await db.Chairs.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ApiException.NotFound("Chair");
        if (chair.ArchivedAt is not null) return;
        if (await db.Appointments.AnyAsync(a => a.ChairId == id, ct)) chair.ArchivedAt = clock.GetUtcNow().UtcDateTime;
        else db.Chairs.Remove(chair);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task EnsureChairNameFreeAsync(string normalized, Guid? exceptId, CancellationToken ct)
    {
        if (await db.Chairs.AnyAsync(c => c.NormalizedName == normalized && c.ArchivedAt == null && c.Id != exceptId, ct))
            throw ApiException.Conflict("name", ChairNameTaken);
    }

    private async Task SaveChairAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw ApiException.Conflict("name", ChairNameTaken);
        }
    }

    private static ChairDto Map(Chair c) => new(c.Id, c.Name, c.Color, c.DisplayOrder, c.ArchivedAt != null, c.CreatedAt, c.UpdatedAt);

    // --- hours ------------------------------------------------------------------------------

    public async Task<ScheduleHoursDto> HoursAsync(CancellationToken ct)
    {
        var intervals = await db.ScheduleIntervals.AsNoTracking().ToListAsync(ct);
        var ordered = intervals.OrderBy(i => i.Weekday).ThenBy(i => i.Start).ToList();
        return new ScheduleHoursDto(
            ordered.Where(i => i.DentistId is null).Select(ToDto).ToList(),
            ordered.Where(i => i.DentistId is not null).GroupBy(i => i.DentistId!.Value).OrderBy(g => g.Key)
                .Select(g => new DentistHours(g.Key, g.Select(ToDto).ToList())).ToList());
    }

    /// <summary>Replaces the clinic's (<paramref name="dentistId"/> null) or a dentist's intervals with the given list.</summary>
    public async Task<ScheduleHoursDto> SetHoursAsync(Guid? dentistId, SetHours request, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(ConfigLock, ct);
        if (dentistId is not null)
        {
            if (!await db.Users.AnyAsync(u => u.Id == dentistId && u.Role == Roles.Dentist, ct)) throw ApiException.NotFound("Dentist");
        }
        var old = await db.ScheduleIntervals.Where(i => i.DentistId == dentistId).ToListAsync(ct);
        db.ScheduleIntervals.RemoveRange(old);
        foreach (var i in request.Intervals!)
            db.ScheduleIntervals.Add(new ScheduleInterval
            {
                DentistId = dentistId, Weekday = i.Weekday!.Value,
                Start = ScheduleValidation.ParseHour(i.Start)!.Value, End = ScheduleValidation.ParseHour(i.End)!.Value,
            });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await HoursAsync(ct);
    }

    private static HoursInterval ToDto(ScheduleInterval i) =>
        new(i.Weekday, ClinicRules.FormatTime(i.Start), i.End == TimeOnly.MinValue ? "24:00" : ClinicRules.FormatTime(i.End));

    // --- closures ---------------------------------------------------------------------------

    public async Task<IReadOnlyList<ClosureDto>> ClosuresAsync(QueryClosures request, CancellationToken ct)
    {
        var query = db.Closures.AsNoTracking();
        if (ClinicRules.ParseDate(request.From) is { } from) query = query.Where(c => c.To >= from);
        if (ClinicRules.ParseDate(request.To) is { } to) query = query.Where(c => c.From <= to);
        return (await query.OrderBy(c => c.From).ThenBy(c => c.Id).ToListAsync(ct)).Select(Map).ToList();
    }

    public async Task<ClosureDto> CreateClosureAsync(CreateClosure request, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(ConfigLock, ct);
        await EnsureDentistAsync(db, request.DentistId, "dentistId", ct);
        var closure = new Closure
        {
            From = ClinicRules.ParseDate(request.From)!.Value,
            To = ClinicRules.ParseDate(request.To)!.Value,
            DentistId = request.DentistId,
            Reason = ClinicRules.EmptyToNull(request.Reason)?.Trim(),
        };
        db.Closures.Add(closure);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Map(closure);
    }

    public async Task<Closure> FindClosureAsync(Guid id, CancellationToken ct) =>
        await db.Closures.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ApiException.NotFound("Closure");

    public async Task DeleteClosureAsync(Guid id, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(ConfigLock, ct);
        var closure = await db.Closures.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ApiException.NotFound("Closure");
        db.Closures.Remove(closure);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static ClosureDto Map(Closure c) => new(c.Id, c.From, c.To, c.DentistId, c.Reason, c.CreatedAt);

    /// <summary>For the API: a 403 unless the caller is an admin or the dentist named.</summary>
    public static void EnsureAdminOrSelf(System.Security.Claims.ClaimsPrincipal user, Guid? dentistId, string what)
    {
        if (user.IsInRole(Roles.Admin)) return;
        if (user.IsInRole(Roles.Dentist) && dentistId is { } id && id == user.UserId()) return;
        throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"Only an admin, or the dentist themself, may change {what}");
    }
}
