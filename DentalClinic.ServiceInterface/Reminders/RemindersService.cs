using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using DentalClinic.ServiceInterface.AppointmentTypes;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Reminders;

/// <summary>What the front desk sees of an appointment's reminders: every delivery and each of its attempts.</summary>
public sealed class RemindersService(AppDbContext db)
{
    public async Task<IReadOnlyList<AppointmentReminderDto>> ForAppointmentAsync(Guid appointmentId, CancellationToken ct)
    {
        if (!await db.Appointments.AnyAsync(a => a.Id == appointmentId, ct)) throw ApiException.NotFound("Appointment");
        var reminders = await db.Set<AppointmentReminder>().AsNoTracking()
            .Where(r => r.AppointmentId == appointmentId).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        var attempts = (await db.Set<AppointmentReminderAttempt>().AsNoTracking()
                .Where(a => a.AppointmentId == appointmentId).ToListAsync(ct))
            .OrderBy(a => a.AttemptedAt).ThenBy(a => a.Id)
            .ToLookup(a => a.ReminderId);
        return reminders.Select(r => new AppointmentReminderDto(
            r.Id, r.AppointmentId, r.AppointmentDate, ClinicRules.FormatTime(r.AppointmentTime), r.DueAt, r.Status, r.Email,
            r.Attempts, r.NextAttemptAt, r.SentAt, r.Reason, r.LastError, r.CreatedAt,
            attempts[r.Id].Select(a => new ReminderAttemptDto(a.Id, a.AttemptedAt, a.Email, a.Outcome, a.Error, a.Channel, a.Phone)).ToList(),
            r.Channel, r.Phone)).ToList();
    }
}
