using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Messaging;

/// <summary>The outgoing messages for admins: read-only.</summary>
public static class MessagingStatusApi
{
    public static void MapMessagingStatusApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/admin/messaging", Get).WithTags("Messaging").RequireAuthorization(Policies.Admin)
            .WithName("GetMessagingStatus")
            .WithSummary($"Appointment reminders and the SMS outbox: counts per status and the latest {MessagingStatusService.Latest} of each (SMS without their body)");
    }

    private static async Task<Ok<MessagingStatusDto>> Get(MessagingStatusService status, CancellationToken ct) =>
        TypedResults.Ok(await status.GetAsync(ct));
}
