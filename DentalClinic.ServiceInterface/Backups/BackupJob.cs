using Hangfire;

namespace DentalClinic.ServiceInterface.Backups;

/// <summary>The scheduled backup (Backups:Cron). A failure is recorded as a failed backup and retried twice by Hangfire.</summary>
public sealed class BackupJob(BackupService backups)
{
    public const string RecurringJobId = "backup-database";

    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken ct) => await backups.CreateAsync(createdBy: null, ct);
}
