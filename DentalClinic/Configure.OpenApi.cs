using System.Text.Json;
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
            // A nullable property may be left out of a request (null and absent mean the same), so
            // typed clients need not spell out every optional field.
            options.AddSchemaTransformer((schema, _, _) =>
            {
                if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
                    foreach (var (name, property) in properties)
                        if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                            required.Remove(name);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // [AsParameters] records bind case-insensitively; the document names them as clients send them.
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                    if (parameter.In == ParameterLocation.Query && parameter.Name is { Length: > 0 } name)
                        parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);

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
