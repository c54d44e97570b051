using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Treatments;

/// <summary>Treatments: every signed-in role reads them; admins and dentists write them (DESIGN §4).</summary>
public static class TreatmentsApi
{
    public static void MapTreatmentsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/treatments").WithTags("Treatments");

        group.MapGet("/", Query).WithName("QueryTreatments")
            .WithSummary("Treatments, newest first; filters patientId, from, to (inclusive)");
        group.MapGet("/patient/{patientId:guid}", ForPatient).WithName("GetPatientTreatments")
            .WithSummary("Every treatment of one patient, newest first (a plain array)");
        group.MapGet("/{id:guid}", Get).WithName("GetTreatment");
        group.MapPost("/", Create).WithName("CreateTreatment").RequireAuthorization(Policies.Clinician).Idempotent()
            .WithSummary("Record a treatment; the response adds balance = totalPrice − discount − amountPaid");
        group.MapPut("/{id:guid}", Update).WithName("UpdateTreatment").RequireAuthorization(Policies.Clinician)
            .WithSummary("Change a treatment or record a payment; missing fields are left unchanged");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteTreatment").RequireAuthorization(Policies.Clinician)
            .WithSummary("Archive a treatment: it leaves every list and sum, the record is kept");
    }

    private static async Task<Ok<PagedResult<TreatmentDto>>> Query([AsParameters] QueryTreatments request, TreatmentsService treatments, CancellationToken ct) =>
        TypedResults.Ok(await treatments.QueryAsync(request, ct));

    private static async Task<Ok<IReadOnlyList<TreatmentDto>>> ForPatient(Guid patientId, TreatmentsService treatments, CancellationToken ct) =>
        TypedResults.Ok(await treatments.ForPatientAsync(patientId, ct));

    private static async Task<Ok<TreatmentDto>> Get(Guid id, TreatmentsService treatments, CancellationToken ct) =>
        TypedResults.Ok(await treatments.GetAsync(id, ct));

    private static async Task<Created<TreatmentDto>> Create(CreateTreatment request, TreatmentsService treatments, CancellationToken ct)
    {
        var treatment = await treatments.CreateAsync(request, ct);
        return TypedResults.Created($"/api/treatments/{treatment.Id}", treatment);
    }

    private static async Task<Ok<TreatmentDto>> Update(Guid id, UpdateTreatment request, TreatmentsService treatments, CancellationToken ct) =>
        TypedResults.Ok(await treatments.UpdateAsync(id, request, ct));

    private static async Task<NoContent> Delete(Guid id, TreatmentsService treatments, CancellationToken ct)
    {
        await treatments.ArchiveAsync(id, ct);
        return TypedResults.NoContent();
    }
}
