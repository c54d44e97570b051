using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>Appointments: every signed-in role may read and write them (DESIGN §4).</summary>
public static class AppointmentsApi
{
    public static void MapAppointmentsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/appointments").WithTags("Appointments");

        group.MapGet("/", Query).WithName("QueryAppointments")
            .WithSummary("Appointments ordered by date, time, id; filters from, to (inclusive), patientId, status");
        group.MapGet("/by-date/{date}", ByDate).WithName("GetAppointmentsByDate")
            .WithSummary("One day's appointments by time (a plain array), with patient name and type name, colour and duration")
            .Produces<IReadOnlyList<DayAppointmentDto>>();
        group.MapGet("/{id:guid}", Get).WithName("GetAppointment");
        group.MapPost("/", Create).WithName("CreateAppointment").Idempotent()
            .WithSummary("Book an appointment; 409 when it overlaps a non-cancelled one, unless allowOverlap is true")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        group.MapPut("/{id:guid}", Update).WithName("UpdateAppointment")
            .WithSummary("Change an appointment; missing fields are left unchanged; the overlap rule applies to a new slot")
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict, "application/json");
        group.MapDelete("/{id:guid}", Delete).WithName("CancelAppointment")
            .WithSummary("Cancel: the appointment stays on record with status cancelled and frees its slot");
    }

    private static async Task<Ok<PagedResult<AppointmentDto>>> Query([AsParameters] QueryAppointments request, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.QueryAsync(request, ct));

    // The calendar comes already serialized (it may be cached); its shape is declared with Produces above.
    private static async Task<IResult> ByDate(string date, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Bytes(await appointments.DayCalendarJsonAsync(
            ClinicRules.ParseDate(date) ?? throw ApiException.Invalid("date", "Date must be a date written YYYY-MM-DD"), ct),
            "application/json; charset=utf-8");

    private static async Task<Ok<AppointmentDto>> Get(Guid id, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.GetAsync(id, ct));

    private static async Task<Created<AppointmentDto>> Create(CreateAppointment request, AppointmentsService appointments, CancellationToken ct)
    {
        var appointment = await appointments.CreateAsync(request, ct);
        return TypedResults.Created($"/api/appointments/{appointment.Id}", appointment);
    }

    private static async Task<Ok<AppointmentDto>> Update(Guid id, UpdateAppointment request, AppointmentsService appointments, CancellationToken ct) =>
        TypedResults.Ok(await appointments.UpdateAsync(id, request, ct));

    private static async Task<NoContent> Delete(Guid id, AppointmentsService appointments, CancellationToken ct)
    {
        await appointments.CancelAsync(id, ct);
        return TypedResults.NoContent();
    }
}
