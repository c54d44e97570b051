using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// Free slots: every start on the clinic's grid (settings: slotMinutes) from..to at which the type
/// can be booked, with a dentist and a chair free for it when the clinic has dentists and chairs
/// (the first by name and by display order that fit). Each candidate goes through
/// <see cref="DaySchedule.Broken"/>, the very check a booking runs, over the same data — the day
/// calendars and the <see cref="ScheduleSnapshotCache.Snapshot"/>, both served only under the stamps
/// read first — so a returned slot books with 201 at that moment and a start left out would have been
/// refused. A day's answer is kept with the day's calendar (<see cref="DayCalendarCache.Day.FreeStarts"/>),
/// which any change to the day replaces. Never in the past (clinic time).
/// </summary>
public sealed class AvailabilityService(AppDbContext db, AppointmentsService appointments, ScheduleSnapshotCache snapshots, IServiceProvider services)
{
    /// <summary>What a day's answer depends on besides the day's appointments.</summary>
    public sealed record DayQuestion(ScheduleSnapshotCache.Snapshot Snapshot, int Duration, Guid? DentistId, Guid? ChairId);

    public readonly record struct FreeStart(int Start, Guid? DentistId, Guid? ChairId);

    /// <summary>A day keeps at most this many answers; past it, they are dropped and computed again.</summary>
    private const int AnswersPerDay = 32;

    public async Task<IReadOnlyList<AvailableSlot>> FindAsync(QueryAvailability request, CancellationToken ct)
    {
        var (from, to) = AppointmentsService.Range(request.From, request.To);
        var (calendars, scheduleStamp) = await appointments.DaysAsync(from, to, ct);
        var snapshot = await snapshots.GetAsync(scheduleStamp, db, services, ct);

        if (!snapshot.Durations.TryGetValue(request.AppointmentTypeId!.Value, out var duration))
            throw ApiException.Invalid("appointmentTypeId", ScheduleService.NoSuchType);
        if (request.DentistId is { } dentist && !snapshot.Dentists.Contains(dentist))
            throw ApiException.Invalid("dentistId", ScheduleService.NoSuchDentist);
        if (request.ChairId is { } chair && !snapshot.Chairs.Contains(chair))
            throw ApiException.Invalid("chairId", ScheduleService.NoSuchChair);

        var question = new DayQuestion(snapshot, duration, request.DentistId, request.ChairId);
        var (today, now) = appointments.ClinicNow(snapshot.Timezone);
        var slots = new List<AvailableSlot>();
        for (var date = from < today ? today : from; date <= to; date = date.AddDays(1))
        {
            var day = calendars[date.DayNumber - from.DayNumber];
            if (!day.FreeStarts.TryGetValue(question, out var free))
            {
                if (day.FreeStarts.Count >= AnswersPerDay) day.FreeStarts.Clear();
                free = day.FreeStarts[question] = FreeStarts(snapshot.Rules.Day(date, day.Occupants), question);
            }
            foreach (var f in free)
                if (date != today || f.Start > now)
                    slots.Add(new AvailableSlot(date, BookingRules.Format(f.Start), BookingRules.Format(f.Start + duration), f.DentistId, f.ChairId));
        }
        return slots;
    }

    /// <summary>Every start of the day on the grid at which the question's type can be booked, with the first dentist and chair free for it.</summary>
    private static FreeStart[] FreeStarts(DaySchedule day, DayQuestion question)
    {
        var snapshot = question.Snapshot;
        Guid?[] dentists = question.DentistId is not null ? [question.DentistId] : snapshot.Dentists.Count == 0 ? [null] : [.. snapshot.Dentists.Select(d => (Guid?)d)];
        Guid?[] chairs = question.ChairId is not null ? [question.ChairId] : snapshot.Chairs.Count == 0 ? [null] : [.. snapshot.Chairs.Select(c => (Guid?)c)];
        var free = new List<FreeStart>();
        for (var start = 0; start + question.Duration <= BookingRules.MinutesPerDay; start += snapshot.SlotMinutes)
            if (FirstFree(day, start, start + question.Duration, dentists, chairs) is { } found)
                free.Add(new FreeStart(start, found.Dentist, found.Chair));
        return [.. free];
    }

    /// <summary>
    /// The first dentist and chair for which the booking breaks no rule. A rule that does not depend on
    /// the dentist or the chair (closure, patient, capacity) ends the search at once; one of the dentist's
    /// (their appointments, hours, time off) moves on to the next dentist; a busy chair to the next chair.
    /// </summary>
    private static (Guid? Dentist, Guid? Chair)? FirstFree(DaySchedule day, int start, int end, Guid?[] dentists, Guid?[] chairs)
    {
        foreach (var dentist in dentists)
        {
            foreach (var chair in chairs)
            {
                if (day.Broken(new Candidate(start, end, dentist, chair, null)) is not var (rule, _)) return (dentist, chair);
                if (rule is BookingRuleNames.Closure or BookingRuleNames.Capacity or BookingRuleNames.Patient) return null;
                if (rule != BookingRuleNames.Chair) break;
            }
        }
        return null;
    }
}
