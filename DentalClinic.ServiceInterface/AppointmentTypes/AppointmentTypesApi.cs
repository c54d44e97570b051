using System.Security.Claims;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.AppointmentTypes;

public static class AppointmentTypesApi
{
    public static void MapAppointmentTypesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/appointment-types").WithTags("Appointment types")
            .WithETags(v => v is AppointmentTypeDto t ? Preconditions.Of(t.UpdatedAt) : null, Preconditions.Row("appointment_types"));

        group.MapGet("/", Query).WithName("QueryAppointmentTypes")
            .WithSummary("Active appointment types by name (a plain array); ?archived=true lists archived ones (admins, dentists)");
        group.MapGet("/{id:guid}", Get).WithName("GetAppointmentType")
            .WithSummary("An appointment type, archived ones included (see archived)");
        group.MapPost("/", Create).WithName("CreateAppointmentType").RequireAuthorization(Policies.Clinician)
            .WithSummary("Create an appointment type; 409 when an active type has the same name (case-insensitive)")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        group.MapPut("/{id:guid}", Update).WithName("UpdateAppointmentType").RequireAuthorization(Policies.Clinician)
            .WithSummary("Change name, price, duration or colour; missing fields are left unchanged")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        group.MapDelete("/{id:guid}", Delete).WithName("ArchiveAppointmentType").RequireAuthorization(Policies.Clinician)
            .WithSummary("Archive: no longer listed or bookable; appointments and treatments that use it keep it");
        group.MapPost("/{id:guid}/restore", Restore).WithName("RestoreAppointmentType").RequireAuthorization(Policies.Clinician)
            .WithSummary("Make an archived appointment type active again")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
    }

    private static async Task<Ok<IReadOnlyList<AppointmentTypeDto>>> Query(
        [AsParameters] QueryAppointmentTypes request, ClaimsPrincipal user, AppointmentTypesService types, CancellationToken ct)
    {
        var archived = request.Archived == true;
        if (archived && !Policies.RolesOf[Policies.Clinician].Any(user.IsInRole))
            throw ApiException.Forbidden("Only admins and dentists see archived appointment types");
        return TypedResults.Ok(await types.QueryAsync(archived, ct));
    }

    private static async Task<Ok<AppointmentTypeDto>> Get(Guid id, AppointmentTypesService types, CancellationToken ct) =>
        TypedResults.Ok(await types.GetAsync(id, ct));

    private static async Task<Created<AppointmentTypeDto>> Create(CreateAppointmentType request, AppointmentTypesService types, CancellationToken ct)
    {
        var type = await types.CreateAsync(request, ct);
        return TypedResults.Created($"/api/appointment-types/{type.Id}", type);
    }

    private static async Task<Ok<AppointmentTypeDto>> Update(Guid id, UpdateAppointmentType request, AppointmentTypesService types, CancellationToken ct) =>
        TypedResults.Ok(await types.UpdateAsync(id, request, ct));

    private static async Task<NoContent> Delete(Guid id, AppointmentTypesService types, CancellationToken ct)
    {
        await types.ArchiveAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AppointmentTypeDto>> Restore(Guid id, AppointmentTypesService types, CancellationToken ct) =>
        TypedResults.Ok(await types.RestoreAsync(id, ct));
}
