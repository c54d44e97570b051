using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Backups;

/// <summary>Backups for admins. POST runs the backup in the request (a clinic's database backs up in seconds) and answers when it is stored.</summary>
public static class BackupsApi
{
    public static void MapBackupsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/backups").WithTags("Backups").RequireAuthorization(Policies.Admin);

        group.MapGet("/", List).WithName("QueryBackups").WithSummary("Backups, newest first (succeeded and failed)");
        group.MapGet("/{id:guid}", Get).WithName("GetBackup");
        group.MapPost("/", Create).WithName("CreateBackup")
            .WithSummary("Back up the database now into the file store; answers 201 once the backup is stored (a failure is a 500 and is listed as failed)");
    }

    private static async Task<Ok<IReadOnlyList<BackupDto>>> List(BackupService backups, CancellationToken ct) =>
        TypedResults.Ok(await backups.ListAsync(ct));

    private static async Task<Ok<BackupDto>> Get(Guid id, BackupService backups, CancellationToken ct) =>
        TypedResults.Ok(await backups.GetAsync(id, ct));

    private static async Task<Created<BackupDto>> Create(HttpContext http, BackupService backups, CancellationToken ct)
    {
        var backup = await backups.CreateAsync(http.User.UserId(), ct);
        return TypedResults.Created($"/api/admin/backups/{backup.Id}", backup);
    }
}
