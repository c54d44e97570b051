using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// Free slots: every start on the clinic's grid (settings: slotMinutes) from..to at which the type
/// can be booked, with a dentist and a chair free for it when the clinic has dentists and chairs
/// (the first by name and by display order that fit). Each candidate goes through
/// <see cref="DaySchedule.Check"/>, the very check a booking runs, over the same data, so a returned
/// slot books with 201 at that moment and a start left out would have been refused. Never in the
/// past (clinic time).
/// </summary>
public sealed class AvailabilityService(AppDbContext db, AppointmentsService appointments, SettingsService settings)
{
    public async Task<IReadOnlyList<AvailableSlot>> FindAsync(QueryAvailability request, CancellationToken ct)
    {
        var (from, to) = AppointmentsService.Range(request.From, request.To);
        var typeId = request.AppointmentTypeId!.Value;
        var duration = await db.AppointmentTypes.Where(t => t.Id == typeId && t.ArchivedAt == null).Select(t => (int?)t.Duration).FirstOrDefaultAsync(ct)
            ?? throw ApiException.Invalid("appointmentTypeId", "The appointment type does not exist or is archived");
        await ScheduleService.EnsureDentistAsync(db, request.DentistId, "dentistId", ct);
        await ScheduleService.EnsureChairAsync(db, request.ChairId, ct);

        IReadOnlyList<Guid?> dentists = request.DentistId is { } dentist ? [dentist]
            : await db.Users.Where(u => u.Role == Roles.Dentist && u.IsActive).OrderBy(u => u.Name).ThenBy(u => u.Id).Select(u => (Guid?)u.Id).ToListAsync(ct);
        if (dentists.Count == 0) dentists = [null];
        IReadOnlyList<Guid?> chairs = request.ChairId is { } chair ? [chair]
            : await db.Chairs.Where(c => c.ArchivedAt == null).OrderBy(c => c.DisplayOrder).ThenBy(c => c.NormalizedName).ThenBy(c => c.Id).Select(c => (Guid?)c.Id).ToListAsync(ct);
        if (chairs.Count == 0) chairs = [null];

        var clinic = await settings.GetWithoutLogoAsync(ct);
        var slot = clinic.SlotMinutes;
        var (today, now) = appointments.ClinicNow(clinic.Timezone);
        if (to < today) return [];
        var first = from < today ? today : from;
        var days = await BookingRules.LoadAsync(db, first, to, ct);

        var slots = new List<AvailableSlot>();
        for (var date = first; date <= to; date = date.AddDays(1))
        {
            var day = days[date];
            for (var start = 0; start + duration <= BookingRules.MinutesPerDay; start += slot)
            {
                if (date == today && start <= now) continue;
                if (FirstFree(day, start, start + duration, dentists, chairs) is { } free)
                    slots.Add(new AvailableSlot(date, BookingRules.Format(start), BookingRules.Format(start + duration), free.Dentist, free.Chair));
            }
        }
        return slots;
    }

    /// <summary>
    /// The first dentist and chair for which the booking breaks no rule. A rule that does not depend on
    /// the dentist or the chair (closure, patient, capacity) ends the search at once; one of the dentist's
    /// (their appointments, hours, time off) moves on to the next dentist; a busy chair to the next chair.
    /// </summary>
    private static (Guid? Dentist, Guid? Chair)? FirstFree(DaySchedule day, int start, int end, IReadOnlyList<Guid?> dentists, IReadOnlyList<Guid?> chairs)
    {
        foreach (var dentist in dentists)
        {
            foreach (var chair in chairs)
            {
                var violation = day.Check(new Candidate(start, end, dentist, chair, null));
                if (violation is null) return (dentist, chair);
                if (violation.Rule is BookingRuleNames.Closure or BookingRuleNames.Capacity or BookingRuleNames.Patient) return null;
                if (violation.Rule != BookingRuleNames.Chair) break;
            }
        }
        return null;
    }
}
