using DentalClinic.ServiceInterface.Audit;
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

        group.MapGet("/", List).WithName("QueryBackups").WithSummary("Backups, newest first (succeeded and failed), cursor-paginated");
        group.MapGet("/{id:guid}", Get).WithName("GetBackup");
        group.MapGet("/{id:guid}/file", Download).WithName("DownloadBackup")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .WithSummary("The backup's file, streamed (pg_dump archive or SQLite database); each download is audited");
        group.MapPost("/", Create).WithName("CreateBackup")
            .WithSummary("Back up the database now into the file store; answers 201 once the backup is stored (a failure is a 500 and is listed as failed)");
    }

    private static async Task<Ok<PagedResult<BackupDto>>> List([AsParameters] QueryBackups request, BackupService backups,
        CursorCodec cursors, CancellationToken ct) =>
        TypedResults.Ok(await backups.QueryAsync(request, cursors, ct));

    private static async Task<IResult> Download(Guid id, BackupService backups, AuditLog audit, CancellationToken ct)
    {
        var (backup, file) = await backups.OpenFileAsync(id, audit, ct);
        // Streamed from the file store to the client (never held in memory); Results.Stream disposes it.
        return Results.Stream(file.Content, "application/octet-stream", Path.GetFileName(backup.FileKey));
    }

    private static async Task<Ok<BackupDto>> Get(Guid id, BackupService backups, CancellationToken ct) =>
        TypedResults.Ok(await backups.GetAsync(id, ct));

    private static async Task<Created<BackupDto>> Create(HttpContext http, BackupService backups, CancellationToken ct)
    {
        var backup = await backups.CreateAsync(http.User.UserId(), ct);
        return TypedResults.Created($"/api/admin/backups/{backup.Id}", backup);
    }
}
