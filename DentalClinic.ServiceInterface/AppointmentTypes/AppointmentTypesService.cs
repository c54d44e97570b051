using System.Linq.Expressions;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.AppointmentTypes;

/// <summary>
/// Appointment types. DELETE archives: an archived type leaves the list and can no longer be
/// booked, but stays readable by id (with <c>archived: true</c>) for the appointments and
/// treatments that use it. Names are unique among active types, case-insensitively.
/// </summary>
public sealed class AppointmentTypesService(AppDbContext db, TimeProvider clock)
{
    private const string NameTaken = "An active appointment type with this name already exists";

    public async Task<IReadOnlyList<AppointmentTypeDto>> QueryAsync(bool archived, CancellationToken ct) =>
        await db.AppointmentTypes.AsNoTracking()
            .Where(t => archived ? t.ArchivedAt != null : t.ArchivedAt == null)
            .OrderBy(t => t.NormalizedName).ThenBy(t => t.Id)
            .Select(ToDto).ToListAsync(ct);

    public async Task<AppointmentTypeDto> GetAsync(Guid id, CancellationToken ct) =>
        await db.AppointmentTypes.AsNoTracking().Where(t => t.Id == id).Select(ToDto).FirstOrDefaultAsync(ct)
        ?? throw ApiException.NotFound("Appointment type");

    public async Task<AppointmentTypeDto> CreateAsync(CreateAppointmentType request, CancellationToken ct)
    {
        var type = new AppointmentType
        {
            Name = request.Name!.Trim(),
            Price = request.Price!.Value,
            Duration = request.Duration!.Value,
            Color = request.Color!,
        };
        await EnsureNameFreeAsync(type.NormalizedName, null, ct);
        db.AppointmentTypes.Add(type);
        await SaveAsync(ct);
        return Map(type);
    }

    public async Task<AppointmentTypeDto> UpdateAsync(Guid id, UpdateAppointmentType request, CancellationToken ct)
    {
        var type = await db.AppointmentTypes.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw ApiException.NotFound("Appointment type");
        if (type.ArchivedAt is not null)
            throw ApiException.Conflict("id", "An archived appointment type cannot be changed; restore it first");
        if (request.Name is not null)
        {
            var normalized = Normalize(request.Name);
            if (normalized != type.NormalizedName) await EnsureNameFreeAsync(normalized, id, ct);
            type.Name = request.Name.Trim();
        }
        if (request.Price is { } price) type.Price = price;
        if (request.Duration is { } duration) type.Duration = duration;
        if (request.Color is not null) type.Color = request.Color;
        await SaveAsync(ct);
        return Map(type);
    }

    /// <summary>Archives the type (idempotent). Appointments and treatments that use it keep it.</summary>
    public async Task ArchiveAsync(Guid id, CancellationToken ct)
    {
        var type = await db.AppointmentTypes.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw ApiException.NotFound("Appointment type");
        if (type.ArchivedAt is not null) return;
        type.ArchivedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Makes an archived type active again, unless an active type took its name meanwhile.</summary>
    public async Task<AppointmentTypeDto> RestoreAsync(Guid id, CancellationToken ct)
    {
        var type = await db.AppointmentTypes.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw ApiException.NotFound("Appointment type");
        if (type.ArchivedAt is null) return Map(type);
        await EnsureNameFreeAsync(type.NormalizedName, id, ct);
        type.ArchivedAt = null;
        await SaveAsync(ct);
        return Map(type);
    }

    public static string Normalize(string name) => AppointmentType.NormalizeName(name);

    private async Task EnsureNameFreeAsync(string normalized, Guid? exceptId, CancellationToken ct)
    {
        if (await db.AppointmentTypes.AnyAsync(t => t.NormalizedName == normalized && t.ArchivedAt == null && t.Id != exceptId, ct))
            throw ApiException.Conflict("name", NameTaken);
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Two writers raced to the same name: the filtered unique index let one through.
            throw ApiException.Conflict("name", NameTaken);
        }
    }

    private static readonly Expression<Func<AppointmentType, AppointmentTypeDto>> ToDto =
        t => new AppointmentTypeDto(t.Id, t.Name, t.Price, t.Duration, t.Color, t.ArchivedAt != null, t.CreatedAt, t.UpdatedAt);

    private static readonly Func<AppointmentType, AppointmentTypeDto> Map = ToDto.Compile();
}
