using System.Text.Json;
using DentalClinic.ServiceInterface.MedicalHistory;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DentalClinic;

/// <summary>
/// Medical history by link (questionnaire, links, the public signed form) and the clinic's
/// settings and logo. Files go to the store of Configure.Files.cs; the public form is rate-limited
/// per IP (RateLimits:MedicalHistoryPerIpPerMinute, Configure.Api.cs); links point at Frontend:BaseUrl.
/// </summary>
public static class ConfigureMedicalHistory
{
    public static void AddMedicalHistory(this WebApplicationBuilder builder)
    {
        builder.Services.AddClinicSettings().AddMedicalHistory();

        // An answer is a string or, for checkbox questions, an array of strings: say so in the API
        // document, so that the generated TypeScript client types it as string | string[].
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(JsonElement))
            {
                schema.Type = null;
                schema.OneOf =
                [
                    new OpenApiSchema { Type = JsonSchemaType.String },
                    new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                ];
            }
            return Task.CompletedTask;
        }));
    }
}
