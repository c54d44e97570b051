using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.MedicalHistory;

public static class MedicalHistoryApi
{
    /// <summary>Rate-limit policy of the public form: per IP (RateLimits:MedicalHistoryPerIpPerMinute).</summary>
    public const string PublicRateLimit = "medical-history";

    /// <summary>A 1 MB signature is ~1.4 MB of base64; answers add up to 10,000 characters each.</summary>
    public const long SubmitRequestLimit = 4 * 1024 * 1024;

    public static void MapMedicalHistoryApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/patients/{id:guid}/medical-history-link", CreateLink).WithTags("MedicalHistory")
            .WithName("CreateMedicalHistoryLink").WithSummary("A single-use link to the medical-history form; optionally queued as an SMS");

        api.MapGet("/patients/{id:guid}/medical-history-links", GetLinks).WithTags("MedicalHistory")
            .WithName("GetMedicalHistoryLinks").WithSummary("A patient's links, newest first: used or not, and whether their SMS went out");

        // The questionnaire is one document: its ETag is its representation's hash, read under its write lock.
        var group = api.MapGroup("/medical-history").WithTags("MedicalHistory")
            .WithETags(v => v is IReadOnlyList<QuestionDto> q ? Preconditions.OfJson(q) : null,
                async (_, http, ct) => Preconditions.OfJson(await http.RequestServices.GetRequiredService<QuestionnaireService>().GetAsync(ct)),
                QuestionnaireService.Lock);
        group.MapGet("/questions", GetQuestions).WithName("GetMedicalHistoryQuestions").WithSummary("The questionnaire, in order");
        group.MapPut("/questions", ReplaceQuestions).RequireAuthorization(Policies.Clinician)
            .WithName("ReplaceMedicalHistoryQuestions").WithSummary("Replace the whole questionnaire: with id updates, without adds, missing retires");
        group.MapGet("/patient/{patientId:guid}", GetPatientHistory).RequireAuthorization(Policies.Clinician)
            .WithName("GetPatientMedicalHistory").WithSummary("A patient's signed submissions, newest first, with signed signature URLs");
        group.MapGet("/{token}", GetForm).AllowAnonymous().RequireRateLimit(PublicRateLimit)
            .WithName("GetMedicalHistoryForm").WithSummary("The form behind a link (public)")
            .Produces<ErrorResponse>(StatusCodes.Status410Gone);
        group.MapPost("/{token}", Submit).AllowAnonymous().RequireRateLimit(PublicRateLimit)
            .WithMetadata(new RequestSizeLimitAttribute(SubmitRequestLimit))
            .WithName("SubmitMedicalHistory").WithSummary("Answer, confirm the date of birth and sign (public, single use)")
            .Produces<ErrorResponse>(StatusCodes.Status410Gone);
    }

    private static async Task<Created<MedicalHistoryLinkDto>> CreateLink(
        Guid id, CreateMedicalHistoryLink? request, ClaimsPrincipal user, MedicalHistoryService service, CancellationToken ct)
    {
        var link = await service.CreateLinkAsync(id, request ?? new CreateMedicalHistoryLink(null, null), user.UserId(), ct);
        return TypedResults.Created($"/api/medical-history/{link.Token}", link);
    }

    private static async Task<Ok<IReadOnlyList<MedicalHistoryLinkStatus>>> GetLinks(Guid id, MedicalHistoryService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetLinksAsync(id, ct));

    private static async Task<Ok<IReadOnlyList<QuestionDto>>> GetQuestions(QuestionnaireService questionnaire, CancellationToken ct) =>
        TypedResults.Ok(await questionnaire.GetAsync(ct));

    private static async Task<Ok<IReadOnlyList<QuestionDto>>> ReplaceQuestions(QuestionInput[] request, QuestionnaireService questionnaire, CancellationToken ct) =>
        TypedResults.Ok(await questionnaire.ReplaceAsync(request, ct));

    private static async Task<Ok<IReadOnlyList<MedicalHistorySubmissionDto>>> GetPatientHistory(Guid patientId, MedicalHistoryService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetPatientHistoryAsync(patientId, ct));

    private static async Task<Ok<MedicalHistoryForm>> GetForm(string token, MedicalHistoryService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetFormAsync(token, ct));

    private static async Task<Created<MedicalHistorySubmitted>> Submit(
        string token, SubmitMedicalHistory request, HttpContext context, MedicalHistoryService service, CancellationToken ct)
    {
        var submitted = await service.SubmitAsync(token, request, context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, ct);
        return TypedResults.Created((string?)null, submitted);
    }
}
