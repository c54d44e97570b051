using System.Buffers;
using System.Security.Claims;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>Appointments: every signed-in role may read and write them; only admins and dentists override a booking rule (docs/architecture.md, "Roles").</summary>
public static class AppointmentsApi
{
    public static void MapAppointmentsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/appointments").WithTags("Appointments")
            .WithETags(v => v is AppointmentDto a ? Preconditions.Of(a.UpdatedAt) : null, Preconditions.Row("appointments"));

        group.MapGet("/", Query).WithName("QueryAppointments")
            .WithSummary("Appointments ordered by date, time, id; filters from, to (inclusive), patientId, status, dentistId, chairId");
        group.MapGet("/by-date/{date}", ByDate).WithName("GetAppointmentsByDate")
            .WithSummary("One day's appointments by time (a plain array), with patient name, type name, colour and duration, dentist and chair")
            .Produces<IReadOnlyList<DayAppointmentDto>>();
        group.MapGet("/calendar", Calendar).WithName("GetAppointmentsCalendar")
            .WithSummary("The by-date items of every day from..to (inclusive, at most 31 days), by date and time; optionally one dentist's or chair's")
            .Produces<IReadOnlyList<DayAppointmentDto>>();
        group.MapGet("/availability", Availability).WithName("GetAvailability")
            .WithSummary("Start times from..to (at most 31 days) at which the type can be booked, with a free dentist and chair; never in the past");
        group.MapGet("/{id:guid}", Get).WithName("GetAppointment");
        group.MapPost("/", Create).WithName("CreateAppointment").Idempotent()
            .WithSummary("Book an appointment; 409 naming the rule and the clashing appointment when it breaks a booking rule, unless allowOverlap (admin, dentist)")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        group.MapPut("/{id:guid}", Update).WithName("UpdateAppointment")
            .WithSummary("Change an appointment; missing fields are left unchanged; the booking rules apply to a new time, dentist, chair or patient")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelAppointment")
            .WithSummary("Cancel with a reason: the appointment stays on record with status cancelled and frees its time");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteAppointment")
            .WithSummary("Remove an appointment entered in error: 404 afterwards, its time freed, its before-image kept in the audit log");
    }

    private static async Task<Ok<PagedResult<AppointmentDto>>> Query([AsParameters] QueryAppointments request, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.QueryAsync(request, ct));

    // The calendar comes already serialized (it may be cached); its shape is declared with Produces above.
    private static async Task<IResult> ByDate(string date, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Bytes(await appointments.DayCalendarJsonAsync(
            ClinicRules.ParseDate(date) ?? throw ApiException.Invalid("date", "Date " + ClinicRules.DateRule), ct),
            "application/json; charset=utf-8");

    private static async Task<IResult> Calendar([AsParameters] QueryCalendar request, AppointmentsService appointments, CancellationToken ct) =>
        new JsonSegmentsResult(await appointments.CalendarJsonAsync(request, ct));

    /// <summary>JSON sent as the concatenation of byte segments, without first copying them into one array.</summary>
    private sealed class JsonSegmentsResult(IReadOnlyList<ReadOnlyMemory<byte>> segments) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = segments.Sum(s => (long)s.Length);
            foreach (var segment in segments) http.Response.BodyWriter.Write(segment.Span);
            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        }
    }

    private static async Task<Ok<IReadOnlyList<AvailableSlot>>> Availability([AsParameters] QueryAvailability request, AvailabilityService availability, CancellationToken ct) =>
        TypedResults.Ok(await availability.FindAsync(request, ct));

    private static async Task<Ok<AppointmentDto>> Get(Guid id, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.GetAsync(id, ct));

    private static async Task<Created<AppointmentDto>> Create(CreateAppointment request, ClaimsPrincipal user, AppointmentsService appointments, CancellationToken ct)
    {
        var appointment = await appointments.CreateAsync(request, CanOverride(user), ct);
        return TypedResults.Created($"/api/appointments/{appointment.Id}", appointment);
    }

    private static async Task<Ok<AppointmentDto>> Update(Guid id, UpdateAppointment request, ClaimsPrincipal user, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.UpdateAsync(id, request, CanOverride(user), ct));

    private static async Task<Ok<AppointmentDto>> Cancel(Guid id, CancelAppointment request, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.CancelAsync(id, request.Reason, ct));

    private static async Task<NoContent> Delete(Guid id, AppointmentsService appointments, CancellationToken ct)
    {
        await appointments.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static bool CanOverride(ClaimsPrincipal user) => Policies.RolesOf[Policies.Clinician].Any(user.IsInRole);
}
