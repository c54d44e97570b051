using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace DentalClinic;

/// <summary>OpenAPI 3.1 document at /openapi/v1.json (bearer security on protected operations) and the Scalar API reference at /docs.</summary>
public static class ConfigureOpenApi
{
    private const string Bearer = "Bearer";

    public static void AddOpenApiDocs(this WebApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "DentalClinic API",
                    Version = "v1",
                    Description = "Patients, appointments, treatments and medical history for a dental clinic.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "Access token from POST /api/auth/login",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var anonymous = metadata.OfType<IAllowAnonymous>().Any();
                if (anonymous)
                {
                    operation.Responses?.Remove("401");
                    operation.Responses?.Remove("403");
                }
                else if (metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
                }
                return Task.CompletedTask;
            });
        });

    public static void MapOpenApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("DentalClinic API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
