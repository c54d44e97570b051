using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using DentalClinic.ServiceInterface.Appointments;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.MedicalHistory;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceInterface.Payments;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceInterface.Settings;
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
            options.AddSchemaTransformer(RestrictRequestTexts);
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
        BoundTopLevelList(schema, context);
        if (schema.Properties is not { Count: > 0 } properties) return Task.CompletedTask;
        DeclareServerRules(properties, context.JsonTypeInfo.Type);
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
        // maxLength, pattern and format from the validator's text rules, maxItems from its list rules (a conditional
        // rule too: it applies whenever the value is sent), minLength from its unconditional ones.
        foreach (var (name, property) in properties)
        {
            if (property is not OpenApiSchema field || field.Type is not { } fieldType) continue;
            foreach (var rule in descriptor.GetValidatorsForMember(name))
                if (fieldType.HasFlag(JsonSchemaType.String))
                    switch (rule.Validator)
                    {
                        case ILengthValidator length:
                            if (length.Max > 0) field.MaxLength = Math.Min(field.MaxLength ?? int.MaxValue, length.Max);
                            if (length.Min > 0 && !rule.Options.HasCondition) field.MinLength = length.Min;
                            break;
                        // A conditional text rule (.When(…)) is declared as "blank, or what the rule accepts": every
                        // condition on a text rule here exempts only a missing or blank value (an e-mail or a colour
                        // may be sent empty to clear it), and a format cannot say "or blank", so it is left out then.
                        case IDocumentedRule documented:
                            if (!rule.Options.HasCondition && !rule.Options.HasAsyncCondition) field.Format = documented.Format ?? field.Format;
                            if (documented.Pattern is { } pattern) field.Pattern = OrBlankWhen(rule.Options, pattern);
                            break;
                        case IEmailValidator:
                            // FluentValidation's check, exactly: one @, with text before and after it.
                            if (!rule.Options.HasCondition && !rule.Options.HasAsyncCondition) field.Format = "email";
                            field.Pattern = OrBlankWhen(rule.Options, EmailPattern);
                            break;
                        case IRegularExpressionValidator regex:
                            field.Pattern = OrBlankWhen(rule.Options, regex.Expression);
                            break;
                    }
                else if (fieldType.HasFlag(JsonSchemaType.Array) && rule.Validator is IDocumentedRule { MaxItems: { } maxItems })
                    field.MaxItems = Math.Min(field.MaxItems ?? int.MaxValue, maxItems);
        }
        foreach (var name in properties.Keys)
        {
            var alwaysRequired = descriptor.GetValidatorsForMember(name).Any(v =>
                v.Validator is INotNullValidator or INotEmptyValidator && !v.Options.HasCondition && !v.Options.HasAsyncCondition);
            if (alwaysRequired) required.Add(name);
        }
        return Task.CompletedTask;
    }

    /// <summary>The pattern of a text rule; of a conditional one, a blank value matches too (see MarkRequiredFields).</summary>
    public static string OrBlankWhen(FluentValidation.Internal.IRuleComponent rule, string pattern) =>
        rule.HasCondition || rule.HasAsyncCondition ? @"^\s*$|" + pattern : pattern;

    /// <summary>FluentValidation's e-mail check (its default mode), as a pattern: one @ with text before and after it.</summary>
    private const string EmailPattern = "^[^@]+@[^@]+$";

    /// <summary>A declared rule of a field the server itself writes or keeps (not read from a validator).</summary>
    private sealed record Declared(string? Pattern = null, int? MaxItems = null, string? ItemPattern = null);

    private static readonly Declared Time = new(ClinicRules.TimePatternText);
    private static readonly Declared EndTime = new("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$");   // BookingRules.Format: an end may be midnight
    private static readonly Declared Colour = new(ClinicRules.ColorPatternText);
    private static readonly Declared Role = new(DocumentedRules.PatternOf(Roles.All));

    /// <summary>
    /// What the server guarantees of the fields it writes, each bound by the rule or constant that enforces it:
    /// pages hold at most Paging.MaxLimit items; a list saved through a validated request keeps that request's
    /// limit; times, colours and roles are written as their validators accept them. A list missing here has no
    /// bound the server enforces (tools/spectral.yaml names each).
    /// </summary>
    private static readonly Dictionary<(Type Owner, string Property), Declared> ServerRules = new()
    {
        [(typeof(PagedResult<>), "data")] = new(MaxItems: Paging.MaxLimit),
        [(typeof(PatientAccountDto), "data")] = new(MaxItems: Paging.MaxLimit),
        [(typeof(ScheduleHoursDto), "clinic")] = new(MaxItems: SetHoursValidator.MaxIntervals),
        [(typeof(DentistHours), "intervals")] = new(MaxItems: SetHoursValidator.MaxIntervals),
        [(typeof(HoursInterval), "start")] = Time,
        [(typeof(HoursInterval), "end")] = EndTime,
        [(typeof(MedicalHistoryForm), "questions")] = new(MaxItems: ReplaceQuestionsValidator.MaxQuestions),
        [(typeof(MedicalHistorySubmissionDto), "answers")] = new(MaxItems: ReplaceQuestionsValidator.MaxQuestions),
        [(typeof(AnsweredQuestion), "options")] = new(MaxItems: QuestionInputValidator.MaxOptions),
        [(typeof(FormQuestion), "options")] = new(MaxItems: QuestionInputValidator.MaxOptions),
        [(typeof(QuestionDto), "options")] = new(MaxItems: QuestionInputValidator.MaxOptions),
        [(typeof(DailyTakingsDto), "byMethod")] = new(MaxItems: PaymentMethods.All.Length),
        [(typeof(MessagingStatusDto), "reminders")] = new(MaxItems: ReminderStatus.All.Count),
        [(typeof(MessagingStatusDto), "sms")] = new(MaxItems: SmsStatus.All.Count),
        [(typeof(MessagingStatusDto), "latestReminders")] = new(MaxItems: MessagingStatusService.Latest),
        [(typeof(MessagingStatusDto), "latestSms")] = new(MaxItems: MessagingStatusService.Latest),
        [(typeof(StatusCount), "status")] = new(DocumentedRules.PatternOf(ReminderStatus.All.Union(SmsStatus.All))),
        [(typeof(SettingsDto), "reminderChannels")] = new(MaxItems: ReminderChannel.All.Count, ItemPattern: DocumentedRules.PatternOf(ReminderChannel.All)),
        [(typeof(UpdateSettings), "reminderChannels")] = new(ItemPattern: DocumentedRules.PatternOf(ReminderChannel.All)),
        [(typeof(AppointmentDto), "time")] = Time,
        [(typeof(DayAppointmentDto), "time")] = Time,
        // Start plus the type's duration now: a type lengthened after booking can end past midnight (25:30).
        [(typeof(DayAppointmentDto), "endTime")] = new("^[0-9]{2}:[0-5][0-9]$"),
        [(typeof(AvailableSlot), "time")] = Time,
        [(typeof(AvailableSlot), "endTime")] = EndTime,
        [(typeof(AppointmentReminderDto), "appointmentTime")] = Time,
        [(typeof(OutboxReminderDto), "appointmentTime")] = Time,
        [(typeof(AppointmentTypeDto), "color")] = Colour,
        [(typeof(ChairDto), "color")] = Colour,
        [(typeof(DayAppointmentDto), "appointmentTypeColor")] = Colour,
        [(typeof(DayAppointmentDto), "dentistColor")] = Colour,
        [(typeof(DayAppointmentDto), "chairColor")] = Colour,
        [(typeof(DentistDto), "calendarColor")] = Colour,
        [(typeof(UserDto), "calendarColor")] = Colour,
        [(typeof(UserDto), "role")] = Role,
        [(typeof(UserSummary), "role")] = Role,
        [(typeof(AppointmentReminderDto), "status")] = new(DocumentedRules.PatternOf(ReminderStatus.All)),
        [(typeof(OutboxReminderDto), "status")] = new(DocumentedRules.PatternOf(ReminderStatus.All)),
        [(typeof(AppointmentReminderDto), "channel")] = new(DocumentedRules.PatternOf(ReminderChannel.All)),
        [(typeof(ReminderAttemptDto), "channel")] = new(DocumentedRules.PatternOf(ReminderChannel.All)),
        [(typeof(ReminderAttemptDto), "outcome")] = new(DocumentedRules.PatternOf(ReminderAttemptOutcome.All)),
        [(typeof(AccountEntryDto), "method")] = new(DocumentedRules.PatternOf(PaymentMethods.All)),
        [(typeof(ReceiptDto), "method")] = new(DocumentedRules.PatternOf(PaymentMethods.All)),
        [(typeof(BackupDto), "status")] = new(DocumentedRules.PatternOf([BackupStatuses.Succeeded, BackupStatuses.Failed])),
        [(typeof(LoginResponse), "tokenType")] = new("^Bearer$"),
    };

    /// <summary>
    /// Lists answered as a whole response, by item type: the free slots of at most MaxRangeDays days on a
    /// grid of at least MinSlotMinutes minutes (one slot per start time), the questionnaire.
    /// </summary>
    private static readonly Dictionary<Type, int> ResponseLists = new()
    {
        [typeof(AvailableSlot)] = AppointmentsService.MaxRangeDays * BookingRules.MinutesPerDay / UpdateSettingsValidator.MinSlotMinutes,
        [typeof(QuestionDto)] = ReplaceQuestionsValidator.MaxQuestions,
    };

    private static void DeclareServerRules(IDictionary<string, IOpenApiSchema> properties, Type owner)
    {
        var key = owner.IsGenericType ? owner.GetGenericTypeDefinition() : owner;
        foreach (var (name, property) in properties)
            if (property is OpenApiSchema field && ServerRules.TryGetValue((key, name), out var declared))
            {
                if (declared.Pattern is { } pattern) field.Pattern = pattern;
                if (declared.MaxItems is { } max) field.MaxItems = Math.Min(field.MaxItems ?? int.MaxValue, max);
                if (declared.ItemPattern is { } itemPattern && field.Items is OpenApiSchema items) items.Pattern = itemPattern;
            }
    }

    /// <summary>A whole-response list (ResponseLists) or a request body that is a list (its validator's MaxItems rule).</summary>
    private static void BoundTopLevelList(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is not null || schema.Type is not { } type || !type.HasFlag(JsonSchemaType.Array)) return;
        var list = context.JsonTypeInfo.Type;
        var item = list.IsArray ? list.GetElementType() : list.IsGenericType ? list.GetGenericArguments()[0] : null;
        if (item is not null && ResponseLists.TryGetValue(item, out var max)) schema.MaxItems = max;
        using var scope = context.ApplicationServices.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(list)) is not IValidator validator) return;
        foreach (var rule in validator.CreateDescriptor().Rules)
            foreach (var component in rule.Components)
                if (component.Validator is IDocumentedRule { MaxItems: { } limit })
                    schema.MaxItems = Math.Min(schema.MaxItems ?? int.MaxValue, limit);
    }

    /// <summary>
    /// Every text a request carries obeys TextInput (no control characters; tab and line breaks only in
    /// multi-line fields): a request string with no tighter pattern or format of its own declares that rule.
    /// </summary>
    private static Task RestrictRequestTexts(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Properties is not { Count: > 0 } properties || !RequestTypes(context.ApplicationServices).Contains(context.JsonTypeInfo.Type))
            return Task.CompletedTask;
        foreach (var (name, property) in properties)
            if (property is OpenApiSchema field)
            {
                Restrict(field, name);
                if (field.Items is OpenApiSchema items) Restrict(items, name);
            }
        return Task.CompletedTask;
    }

    private static void Restrict(OpenApiSchema schema, string? name)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && schema.Pattern is null && schema.Format is null &&
            schema.Enum is not { Count: > 0 } && schema.Const is null)
            schema.Pattern = name is not null && TextInput.MultiLineFields.Contains(name) ? TextInput.MultiLinePattern : TextInput.SingleLinePattern;
    }

    private static HashSet<Type>? requestTypes;

    /// <summary>The contract types a request body carries (nested records and list items included).</summary>
    private static HashSet<Type> RequestTypes(IServiceProvider services)
    {
        if (requestTypes is { } known) return known;
        var found = new HashSet<Type>();
        var contract = typeof(ErrorResponse).Assembly;
        void Add(Type? type)
        {
            if (type is null) return;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type.IsArray) { Add(type.GetElementType()); return; }
            if (type.IsGenericType) foreach (var argument in type.GetGenericArguments()) Add(argument);
            if (type.Assembly != contract || !found.Add(type)) return;
            foreach (var property in type.GetProperties()) Add(property.PropertyType);
        }
        foreach (var group in services.GetRequiredService<Microsoft.AspNetCore.Mvc.ApiExplorer.IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items)
            foreach (var api in group.Items)
                foreach (var parameter in api.ParameterDescriptions)
                    if (parameter.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body) Add(parameter.Type);
        return requestTypes = found;
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
                        switch (rule.Validator)
                        {
                            case ILengthValidator { Max: > 0 } length:
                                schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, length.Max);
                                break;
                            case IDocumentedRule documented:
                                schema.Format = documented.Format ?? schema.Format;
                                schema.Pattern = documented.Pattern ?? schema.Pattern;
                                break;
                        }
        }
        // Every query parameter and route value obeys TextInput's single-line rule; a page size below 1 is refused
        // (PageRequest.Limit; one above Paging.MaxLimit is cut down to it, not refused, so no maximum is declared).
        foreach (var parameter in parameters.OfType<OpenApiParameter>())
            if (parameter.Schema is OpenApiSchema schema)
            {
                Restrict(schema, null);
                if (parameter.Name == "limit" && schema.Type is { } type && type.HasFlag(JsonSchemaType.Integer)) schema.Minimum = "1";
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
