using DentalClinic.ServiceInterface.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.ServiceInterface.MedicalHistory;

public static class MedicalHistoryRegistration
{
    /// <summary>The questionnaire, links, the public form and its submissions.</summary>
    public static IServiceCollection AddMedicalHistory(this IServiceCollection services) => services
        .AddScoped<QuestionnaireService>()
        .AddScoped<MedicalHistoryService>();

    /// <summary>The clinic's settings and logo.</summary>
    public static IServiceCollection AddClinicSettings(this IServiceCollection services) => services
        .AddScoped<SettingsService>();
}
