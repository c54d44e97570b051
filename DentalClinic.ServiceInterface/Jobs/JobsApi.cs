using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Jobs;

public static class JobsApi
{
    public static void MapJobsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/jobs").WithTags("Jobs").RequireAuthorization(Policies.Admin);

        group.MapPost("/session", StartDashboardSession).WithName("StartJobsDashboardSession")
            .WithSummary("Set a short-lived, HttpOnly, SameSite=Strict cookie that opens the jobs dashboard at /admin/jobs in this browser");
    }

    private static Ok<JobsDashboardSession> StartDashboardSession(HttpContext http, JobsDashboardAccess access) =>
        TypedResults.Ok(access.StartSession(http));
}
