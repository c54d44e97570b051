using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.ServiceInterface.Reminders;

public static class RemindersRegistration
{
    /// <summary>The reminder dispatcher (run by the recurring job "appointment-reminders") and the reminders read side.</summary>
    public static IServiceCollection AddAppointmentReminders(this IServiceCollection services) => services
        .AddScoped<AppointmentReminderDispatcher>()
        .AddScoped<RemindersService>();
}
