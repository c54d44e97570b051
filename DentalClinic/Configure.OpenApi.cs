using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
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
                    Description = "Access token from POST /api/auth/login: a JWT signed with HS256 only, issuer, audience and " +
                                  "lifetime always validated, following RFC8725 (JSON Web Token Best Current Practices). " +
                                  "An operation's requirement lists the roles it admits (none listed: every signed-in role).",
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(MoneyIsANumber);
            options.AddSchemaTransformer(MarkRequiredFields);
            options.AddOperationTransformer((operation, context, _) =>
            {
                // [AsParameters] records bind case-insensitively; the document names them as clients send them.
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                    if (parameter.In == ParameterLocation.Query && parameter.Name is { Length: > 0 } name)
                        parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);

                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<DentalClinic.ServiceInterface.Infrastructure.IdempotentAttribute>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = DentalClinic.ServiceInterface.Infrastructure.Idempotency.Header,
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "A retry with the same key and body within 24 hours gets the first response again and changes nothing; the same key with another body is a 409",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = DentalClinic.ServiceInterface.Infrastructure.Idempotency.MaxKeyLength },
                    });
                }
                var anonymous = metadata.OfType<IAllowAnonymous>().Any();
                if (anonymous)
                {
                    // Sign-in and token refresh do answer 401 (wrong credentials, a dead refresh token).
                    if (context.Description.RelativePath?.StartsWith("api/auth/", StringComparison.Ordinal) != true)
                        operation.Responses?.Remove("401");
                    operation.Responses?.Remove("403");
                }
                else if (metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = RequiredRoles(metadata) }];
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// Money (every decimal) has its own JSON converter (MoneyJsonConverter), which hides its type from
    /// the schema generator: it is a JSON number, as before.
    /// </summary>
    private static Task MoneyIsANumber(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(decimal)) schema.Type = JsonSchemaType.Number;
        else if (type == typeof(decimal?)) schema.Type = JsonSchemaType.Number | JsonSchemaType.Null;
        else return Task.CompletedTask;
        schema.Format = "double";
        return Task.CompletedTask;
    }

    /// <summary>The roles every authorization policy of the endpoint admits (OAS 3.1: role names in a bearer requirement); empty when all do.</summary>
    private static List<string> RequiredRoles(IList<object> metadata)
    {
        var all = DentalClinic.ServiceInterface.Policies.RolesOf[DentalClinic.ServiceInterface.Policies.Staff];
        IEnumerable<string> roles = all;
        foreach (var data in metadata.OfType<IAuthorizeData>())
            if (data.Policy is { } policy && DentalClinic.ServiceInterface.Policies.RolesOf.TryGetValue(policy, out var admitted))
                roles = roles.Intersect(admitted);
        var list = roles.ToList();
        return list.Count == all.Length ? [] : list;
    }

    /// <summary>
    /// A nullable property may be left out of a request (null and absent mean the same), unless the
    /// request's validator always requires it (an unconditional NotNull/NotEmpty rule): then it is
    /// required in the document, so typed clients know what they must send.
    /// </summary>
    private static Task MarkRequiredFields(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        LimitIntegers(schema);
        if (schema.Properties is not { Count: > 0 } properties) return Task.CompletedTask;
        // [AllowedValues] on a DTO property (e.g. an appointment's status) becomes the schema's enum.
        foreach (var json in context.JsonTypeInfo.Properties)
            if (json.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), true).FirstOrDefault() is AllowedValuesAttribute allowed &&
                properties.TryGetValue(json.Name, out var property) && property is OpenApiSchema inline)
            {
                inline.Enum = allowed.Values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v?.ToString())!).ToList();
                if (inline.Type is { } type && type.HasFlag(JsonSchemaType.Null)) inline.Enum.Add(null!);   // optional in requests
            }

        foreach (var property in properties.Values.OfType<OpenApiSchema>()) LimitIntegers(property);
        var required = schema.Required ??= new HashSet<string>();
        foreach (var (name, property) in properties)
            if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                required.Remove(name);

        using var scope = context.ApplicationServices.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(context.JsonTypeInfo.Type)) is not IValidator validator)
            return Task.CompletedTask;
        var descriptor = validator.CreateDescriptor();
        // Rules are named as the JSON properties (the camelCase property-name resolver of Configure.Api).
        foreach (var (name, property) in properties)
            if (property is OpenApiSchema number && number.Type is { } numberType &&
                (numberType.HasFlag(JsonSchemaType.Integer) || numberType.HasFlag(JsonSchemaType.Number)))
                foreach (var rule in descriptor.GetValidatorsForMember(name).Where(r => !r.Options.HasCondition))
                    switch (rule.Validator)
                    {
                        case IBetweenValidator between:
                            number.Minimum = Convert.ToString(between.From, System.Globalization.CultureInfo.InvariantCulture);
                            number.Maximum = Convert.ToString(between.To, System.Globalization.CultureInfo.InvariantCulture);
                            break;
                        case IComparisonValidator { Comparison: Comparison.GreaterThanOrEqual, ValueToCompare: { } min }:
                            number.Minimum = Convert.ToString(min, System.Globalization.CultureInfo.InvariantCulture);
                            break;
                        case IComparisonValidator { Comparison: Comparison.LessThanOrEqual, ValueToCompare: { } max }:
                            number.Maximum = Convert.ToString(max, System.Globalization.CultureInfo.InvariantCulture);
                            break;
                    }
        // maxLength (and minLength) from the validator's unconditional length rules.
        foreach (var (name, property) in properties)
            if (property is OpenApiSchema text && text.Type is { } textType && textType.HasFlag(JsonSchemaType.String))
                foreach (var rule in descriptor.GetValidatorsForMember(name).Where(r => !r.Options.HasCondition))
                    if (rule.Validator is ILengthValidator length)
                    {
                        if (length.Max > 0) text.MaxLength = length.Max;
                        if (length.Min > 0) text.MinLength = length.Min;
                    }
        foreach (var name in properties.Keys)
        {
            var alwaysRequired = descriptor.GetValidatorsForMember(name).Any(v =>
                v.Validator is INotNullValidator or INotEmptyValidator && !v.Options.HasCondition && !v.Options.HasAsyncCondition);
            if (alwaysRequired) required.Add(name);
        }
        return Task.CompletedTask;
    }

    /// <summary>An integer without stated bounds is bounded by what its JSON form can carry (int32 or int64).</summary>
    private static void LimitIntegers(OpenApiSchema schema)
    {
        if (schema.Type is not { } type || !type.HasFlag(JsonSchemaType.Integer)) return;
        var wide = schema.Format == "int64";
        schema.Minimum ??= wide ? long.MinValue.ToString() : int.MinValue.ToString();
        schema.Maximum ??= wide ? long.MaxValue.ToString() : int.MaxValue.ToString();
    }

    /// <summary>
    /// ApiDocs:Access: <c>Public</c> (default) serves both to anyone; <c>Admin</c> only to an admin's
    /// bearer token (tools, not a browser: the /docs page cannot send one); <c>Off</c> maps neither (404).
    /// </summary>
    public static void MapOpenApiDocs(this WebApplication app)
    {
        var access = app.Configuration["ApiDocs:Access"] ?? "Public";
        if (access.Equals("Off", StringComparison.OrdinalIgnoreCase)) return;
        var adminOnly = access.Equals("Admin", StringComparison.OrdinalIgnoreCase);
        if (!adminOnly && !access.Equals("Public", StringComparison.OrdinalIgnoreCase))
            throw new StartupException($"ApiDocs:Access '{access}' is not supported: use Public, Admin or Off.");

        var document = app.MapOpenApi("/openapi/{documentName}.json");
        var docs = app.MapScalarApiReference("/docs", o => o.WithTitle("DentalClinic API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        if (!adminOnly) return;
        document.RequireAuthorization(DentalClinic.ServiceInterface.Policies.Admin);
        docs.RequireAuthorization(DentalClinic.ServiceInterface.Policies.Admin);
    }
}
