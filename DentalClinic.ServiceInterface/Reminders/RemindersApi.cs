using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Reminders;

/// <summary>An appointment's e-mail reminders: every signed-in role, like appointments (docs/architecture.md, "Roles").</summary>
public static class RemindersApi
{
    public static void MapRemindersApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/appointments/{id:guid}/reminders", ForAppointment).WithTags("Appointments")
            .WithName("GetAppointmentReminders")
            .WithSummary("The appointment's e-mail reminders (one per date and time it had) with every delivery attempt");
    }

    private static async Task<Ok<IReadOnlyList<AppointmentReminderDto>>> ForAppointment(Guid id, RemindersService reminders, CancellationToken ct) =>
        TypedResults.Ok(await reminders.ForAppointmentAsync(id, ct));
}
