using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;

namespace DentalClinic;

/// <summary>OpenAPI 3.1 document at /openapi/v1.json (bearer security on protected operations) and the Scalar API reference at /docs.</summary>
public static class ConfigureOpenApi
{
    private const string Bearer = "Bearer";
    private const string RetryAfter = "Retry-After";
    private const string AllowOrigin = "Access-Control-Allow-Origin";

    private static OpenApiSchema Count() => new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = int.MaxValue.ToString() };

    /// <summary>The response headers every operation declares by reference (components.headers).</summary>
    private static readonly (string Name, OpenApiHeader Header)[] ResponseHeaders =
    [
        (DentalClinic.ServiceInterface.Infrastructure.RequestRateLimiter.LimitHeader, new OpenApiHeader
        {
            Description = "Requests allowed in the current one-minute window, for the limit closest to running out (IETF draft-ietf-httpapi-ratelimit-headers)",
            Schema = Count(),
        }),
        (DentalClinic.ServiceInterface.Infrastructure.RequestRateLimiter.RemainingHeader, new OpenApiHeader
        {
            Description = "Requests left in the current window",
            Schema = Count(),
        }),
        (DentalClinic.ServiceInterface.Infrastructure.RequestRateLimiter.ResetHeader, new OpenApiHeader
        {
            Description = "Seconds until the current window ends and the allowance is whole again",
            Schema = Count(),
        }),
        (DentalClinic.ServiceInterface.Infrastructure.RequestRateLimiter.PolicyHeader, new OpenApiHeader
        {
            Description = "The limit as requests;w=window seconds, e.g. 600;w=60",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 32, Pattern = "^[0-9]+;w=[0-9]+$" },
        }),
        (AllowOrigin, new OpenApiHeader
        {
            Description = "The request's Origin, when it is one of the allowed browser origins (Cors:Origins); absent otherwise. No credentials are allowed cross-origin",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2048 },
        }),
        (RetryAfter, new OpenApiHeader
        {
            Description = "Seconds to wait before trying again",
            Schema = Count(),
        }),
    ];

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
                document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var (name, header) in ResponseHeaders) document.Components.Headers[name] = header;
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(MoneyIsANumber);
            options.AddSchemaTransformer(MarkRequiredFields);
            options.AddSchemaTransformer(BoundTexts);
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
                // Every response passes the rate limiter (RequestRateLimiter), which says where the caller stands; a 429 says when to retry.
                foreach (var (status, response) in operation.Responses ?? [])
                    if (response is OpenApiResponse declared)
                    {
                        declared.Headers ??= new Dictionary<string, IOpenApiHeader>();
                        foreach (var name in DentalClinic.ServiceInterface.Infrastructure.RequestRateLimiter.Headers.Append(AllowOrigin))
                            declared.Headers[name] = new OpenApiHeaderReference(name, context.Document);
                        if (status == "429") declared.Headers[RetryAfter] = new OpenApiHeaderReference(RetryAfter, context.Document);
                    }
                BoundParameters(operation, context);

                var anonymous = metadata.OfType<IAllowAnonymous>().Any();
                if (anonymous)
                {
                    // Public (sign-in, password reset, the patient's form): an explicit empty requirement. The
                    // document writer leaves an empty `security` list out, so it is written as the raw JSON `[]`.
                    operation.Security = null;
                    operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    operation.Extensions["security"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray());
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
        // maxLength from the validator's length rules (a conditional one too: it applies whenever the value is sent),
        // minLength from its unconditional ones.
        foreach (var (name, property) in properties)
            if (property is OpenApiSchema text && text.Type is { } textType && textType.HasFlag(JsonSchemaType.String))
                foreach (var rule in descriptor.GetValidatorsForMember(name))
                    if (rule.Validator is ILengthValidator length)
                    {
                        if (length.Max > 0) text.MaxLength = Math.Min(text.MaxLength ?? int.MaxValue, length.Max);
                        if (length.Min > 0 && !rule.Options.HasCondition) text.MinLength = length.Min;
                    }
        foreach (var name in properties.Keys)
        {
            var alwaysRequired = descriptor.GetValidatorsForMember(name).Any(v =>
                v.Validator is INotNullValidator or INotEmptyValidator && !v.Options.HasCondition && !v.Options.HasAsyncCondition);
            if (alwaysRequired) required.Add(name);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every string has a maximum length: its validator's (MarkRequiredFields, BoundParameters), else
    /// what its format allows, else the longest text the API accepts anywhere (TextInput.MaxLength,
    /// enforced on every request; a response only holds texts that came in that way, ids, dates and
    /// short texts of the API's own).
    /// </summary>
    private static Task BoundTexts(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        Bound(schema, context.ParameterDescription?.Name ?? context.JsonPropertyInfo?.Name, 0);
        return Task.CompletedTask;
    }

    private static void Bound(OpenApiSchema schema, string? name, int depth)
    {
        if (depth > 8) return;
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && schema.MaxLength is null && schema.Enum is not { Count: > 0 } && schema.Const is null)
            schema.MaxLength = schema.Format switch
            {
                "uuid" => 36,
                "date" => 10,
                "time" => 16,
                "date-time" => 64,
                "binary" => (int)FileLimits.MaxLogoBytes,
                _ => name is not null && TextInput.LongFields.TryGetValue(name, out var max) ? max : TextInput.MaxLength,
            };
        foreach (var (property, child) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            if (child is OpenApiSchema inline) Bound(inline, property, depth + 1);
        if (schema.Items is OpenApiSchema items) Bound(items, name, depth + 1);
        foreach (var alternative in (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? []))
            if (alternative is OpenApiSchema inline) Bound(inline, name, depth + 1);
    }

    /// <summary>Query parameters of an [AsParameters] record take their validator's length rules (a search: 200).</summary>
    private static void BoundParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (operation.Parameters is not { Count: > 0 } parameters) return;
        var handler = context.Description.ActionDescriptor.EndpointMetadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault();
        if (handler is null) return;
        using var scope = context.ApplicationServices.CreateScope();
        foreach (var record in handler.GetParameters().Where(p => p.GetCustomAttributes(typeof(AsParametersAttribute), false).Length > 0))
        {
            if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(record.ParameterType)) is not IValidator validator) continue;
            var descriptor = validator.CreateDescriptor();
            foreach (var parameter in parameters.OfType<OpenApiParameter>())
                if (parameter.Name is { } name && parameter.Schema is OpenApiSchema schema && schema.Type is { } type && type.HasFlag(JsonSchemaType.String))
                    foreach (var rule in descriptor.GetValidatorsForMember(name))
                        if (rule.Validator is ILengthValidator { Max: > 0 } length)
                            schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, length.Max);
        }
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
