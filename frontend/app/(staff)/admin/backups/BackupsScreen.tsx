"use client";
// Backups (admins): run one now, the list of backups (scheduled and asked for, failed ones with why),
// and each stored one's file to download.
import { useEffect, useState } from "react";
import { ErrorAlert, Loading } from "../../../../components/ui";
import type { ApiError } from "../../../../services/api";
import { useAdminStore, type Backup } from "../../../../store/adminStore";

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function BackupsScreen() {
  const { backups, loading, errors, loadBackups, runBackup } = useAdminStore();

  useEffect(() => {
    void loadBackups();
  }, [loadBackups]);

  return (
    <>
      <h1>Backups</h1>
      <div className="card">
        <p>The database is backed up every night into the file store. You can also back it up now (it takes a few seconds).</p>
        <ErrorAlert error={errors.runBackup} />
        <button type="button" onClick={() => void runBackup()} disabled={loading.runBackup}>
          {loading.runBackup ? "Backing up…" : "Back up now"}
        </button>
        {loading.runBackup && <Loading label="Backing up the database…" />}
      </div>
      <section className="card" aria-labelledby="backups-title" aria-busy={loading.backups}>
        <h2 id="backups-title">Backups, newest first</h2>
        <ErrorAlert error={errors.backups} />
        {loading.backups && backups.length === 0 && <Loading />}
        {!loading.backups && !errors.backups && backups.length === 0 && <p className="empty">No backups yet.</p>}
        {backups.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">When</th><th scope="col">Status</th><th scope="col">Database</th><th scope="col">Size</th><th scope="col">File</th><th scope="col">Download</th></tr>
              </thead>
              <tbody>
                {backups.map((b) => (
                  <tr key={b.id}>
                    <td>{new Date(b.createdAt).toLocaleString()}<div className="hint">{b.createdBy ? "asked for by an admin" : "scheduled"}</div></td>
                    <td>
                      <span className={b.status === "succeeded" ? "status-ok" : "status-bad"}>{b.status}</span>
                      {b.error && <div className="field-error">{b.error}</div>}
                    </td>
                    <td>{b.provider}</td>
                    <td className="money">{b.status === "succeeded" ? size(b.size) : "—"}</td>
                    <td>
                      {b.fileKey ? <code>{b.fileKey}</code> : "—"}
                      {b.sha256 && <div className="hint">SHA-256 {b.sha256.slice(0, 16)}…</div>}
                    </td>
                    <td>{b.status === "succeeded" && b.fileKey ? <Download backup={b} /> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** Fetches the file with the session's token and hands it to the browser as a download. */
function Download({ backup }: { backup: Backup }) {
  const downloadBackup = useAdminStore((s) => s.downloadBackup);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const when = new Date(backup.createdAt).toLocaleString();

  const download = async () => {
    setBusy(true);
    const file = await downloadBackup(backup);
    setBusy(false);
    setError(file ? null : useAdminStore.getState().errors.downloadBackup);
    if (!file) return;
    const url = URL.createObjectURL(file.blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = file.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <>
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy} aria-label={`Download the backup of ${when}`}>
        {busy ? "Downloading…" : "Download"}
      </button>
      {error && <div className="field-error" role="alert">{error.message}</div>}
    </>
  );
}
