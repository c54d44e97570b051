using System.Security.Claims;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Schedule;

/// <summary>Dentists, chairs, hours and closures: every role reads them; admins write them, dentists their own hours and time off (docs/architecture.md, "Roles").</summary>
public static class ScheduleApi
{
    public static void MapScheduleApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/dentists", Dentists).WithTags("Schedule").WithName("QueryDentists")
            .WithSummary("Active users with role dentist, by name, with their calendar colour (a plain array)");

        var chairs = api.MapGroup("/chairs").WithTags("Schedule");
        chairs.MapGet("/", Chairs).WithName("QueryChairs")
            .WithSummary("Active chairs by display order (a plain array); ?archived=true lists archived ones");
        chairs.MapGet("/{id:guid}", Chair).WithName("GetChair");
        chairs.MapPost("/", CreateChair).WithName("CreateChair").RequireAuthorization(Policies.Admin)
            .WithSummary("Add a chair; 409 when an active chair has the same name (case-insensitive)")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        chairs.MapPut("/{id:guid}", UpdateChair).WithName("UpdateChair").RequireAuthorization(Policies.Admin)
            .WithSummary("Change name, colour or display order; missing fields are left unchanged")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        chairs.MapDelete("/{id:guid}", DeleteChair).WithName("DeleteChair").RequireAuthorization(Policies.Admin)
            .WithSummary("Archive a chair that has appointments (no longer bookable), remove one that has none");

        var schedule = api.MapGroup("/schedule").WithTags("Schedule");
        schedule.MapGet("/hours", Hours).WithName("GetScheduleHours")
            .WithSummary("The clinic's opening hours and the dentists' own working hours");
        schedule.MapPut("/hours/clinic", SetClinicHours).WithName("SetClinicHours").RequireAuthorization(Policies.Admin)
            .WithSummary("Replace the clinic's opening hours (an empty list: no opening-hours rule)");
        schedule.MapPut("/hours/dentists/{dentistId:guid}", SetDentistHours).WithName("SetDentistHours").RequireAuthorization(Policies.Clinician)
            .WithSummary("Replace a dentist's own working hours (admin, or that dentist; an empty list: the clinic's hours)");
        schedule.MapGet("/closures", Closures).WithName("QueryClosures")
            .WithSummary("Clinic closures and dentists' time off touching from..to, by start date (a plain array)");
        schedule.MapPost("/closures", CreateClosure).WithName("CreateClosure").RequireAuthorization(Policies.Clinician)
            .WithSummary("Close the clinic (dentistId null; admin) or give a dentist time off (admin, or that dentist)");
        schedule.MapDelete("/closures/{id:guid}", DeleteClosure).WithName("DeleteClosure").RequireAuthorization(Policies.Clinician)
            .WithSummary("Remove a closure (admin) or time off (admin, or that dentist)");
    }

    private static async Task<Ok<IReadOnlyList<DentistDto>>> Dentists(ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.DentistsAsync(ct));

    private static async Task<Ok<IReadOnlyList<ChairDto>>> Chairs([AsParameters] QueryChairs request, ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.ChairsAsync(request.Archived == true, ct));

    private static async Task<Ok<ChairDto>> Chair(Guid id, ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.ChairAsync(id, ct));

    private static async Task<Created<ChairDto>> CreateChair(CreateChair request, ScheduleService schedule, CancellationToken ct)
    {
        var chair = await schedule.CreateChairAsync(request, ct);
        return TypedResults.Created($"/api/chairs/{chair.Id}", chair);
    }

    private static async Task<Ok<ChairDto>> UpdateChair(Guid id, UpdateChair request, ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.UpdateChairAsync(id, request, ct));

    private static async Task<NoContent> DeleteChair(Guid id, ScheduleService schedule, CancellationToken ct)
    {
        await schedule.DeleteChairAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ScheduleHoursDto>> Hours(ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.HoursAsync(ct));

    private static async Task<Ok<ScheduleHoursDto>> SetClinicHours(SetHours request, ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.SetHoursAsync(null, request, ct));

    private static async Task<Ok<ScheduleHoursDto>> SetDentistHours(Guid dentistId, SetHours request, ClaimsPrincipal user, ScheduleService schedule, CancellationToken ct)
    {
        ScheduleService.EnsureAdminOrSelf(user, dentistId, "a dentist's working hours");
        return TypedResults.Ok(await schedule.SetHoursAsync(dentistId, request, ct));
    }

    private static async Task<Ok<IReadOnlyList<ClosureDto>>> Closures([AsParameters] QueryClosures request, ScheduleService schedule, CancellationToken ct) =>
        TypedResults.Ok(await schedule.ClosuresAsync(request, ct));

    private static async Task<Created<ClosureDto>> CreateClosure(CreateClosure request, ClaimsPrincipal user, ScheduleService schedule, CancellationToken ct)
    {
        if (request.DentistId is null && !user.IsInRole(Roles.Admin)) throw ApiException.Forbidden("Only an admin may close the clinic");
        ScheduleService.EnsureAdminOrSelf(user, request.DentistId, "a dentist's time off");
        var closure = await schedule.CreateClosureAsync(request, ct);
        return TypedResults.Created($"/api/schedule/closures/{closure.Id}", closure);
    }

    private static async Task<NoContent> DeleteClosure(Guid id, ClaimsPrincipal user, ScheduleService schedule, CancellationToken ct)
    {
        var closure = await schedule.FindClosureAsync(id, ct);
        if (closure.DentistId is null && !user.IsInRole(Roles.Admin)) throw ApiException.Forbidden("Only an admin may remove a clinic closure");
        ScheduleService.EnsureAdminOrSelf(user, closure.DentistId, "a dentist's time off");
        await schedule.DeleteClosureAsync(id, ct);
        return TypedResults.NoContent();
    }
}
