using DentalClinic.ServiceInterface.Infrastructure;
using System.Security.Claims;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Patients;

public static class PatientsApi
{
    public static void MapPatientsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/patients").WithTags("Patients");

        group.MapGet("/", Query).WithName("QueryPatients")
            .WithSummary("Patients by last name, first name; with ?search= best matches first; admins list archived ones with ?archived=true");
        group.MapGet("/{id:guid}", Get).WithName("GetPatient").WithSummary("A patient with the account summary of their treatments");
        group.MapPost("/", Create).WithName("CreatePatient").Idempotent()
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict).WithSummary("Register a patient; a mobile number already registered is 409");
        group.MapPut("/{id:guid}", Update).WithName("UpdatePatient").Produces<ErrorResponse>(StatusCodes.Status409Conflict).WithSummary("Replace a patient's details");
        group.MapDelete("/{id:guid}", Delete).WithName("DeletePatient").RequireAuthorization(Policies.Clinician)
            .WithSummary("Archive a patient (admin, dentist); ?purge=true (admin) erases the patient and all of their records");
        group.MapPost("/{id:guid}/restore", Restore).WithName("RestorePatient").RequireAuthorization(Policies.Admin)
            .WithSummary("Bring an archived patient back");
    }

    private static async Task<Ok<PagedResult<PatientDto>>> Query([AsParameters] QueryPatients request, ClaimsPrincipal user,
        PatientsService patients, CancellationToken ct) =>
        TypedResults.Ok(await patients.QueryAsync(request, user.IsInRole(Roles.Admin), ct));

    private static async Task<Ok<PatientDetailsDto>> Get(Guid id, PatientsService patients, CancellationToken ct) =>
        TypedResults.Ok(await patients.GetAsync(id, ct));

    private static async Task<Created<PatientDto>> Create(CreatePatient request, PatientsService patients, CancellationToken ct)
    {
        var patient = await patients.CreateAsync(request, ct);
        return TypedResults.Created($"/api/patients/{patient.Id}", patient);
    }

    private static async Task<Ok<PatientDto>> Update(Guid id, UpdatePatient request, PatientsService patients, CancellationToken ct) =>
        TypedResults.Ok(await patients.UpdateAsync(id, request, ct));

    private static async Task<NoContent> Delete(Guid id, [FromQuery] bool? purge, ClaimsPrincipal user,
        PatientsService patients, CancellationToken ct)
    {
        if (purge == true) await patients.PurgeAsync(id, user.IsInRole(Roles.Admin), ct);
        else await patients.ArchiveAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<PatientDto>> Restore(Guid id, PatientsService patients, CancellationToken ct) =>
        TypedResults.Ok(await patients.RestoreAsync(id, ct));
}
