"use client";
// The admin overview: system health (/health/ready), the jobs dashboard and the API reference.
import { useEffect } from "react";
import { ErrorAlert, Loading } from "../../../components/ui";
import { baseUrl } from "../../../services/api";
import { useAdminStore } from "../../../store/adminStore";

export function AdminHome() {
  const { health, loading, errors, loadHealth, startJobsSession } = useAdminStore();

  useEffect(() => {
    void loadHealth();
  }, [loadHealth]);

  const openJobs = async () => {
    const url = await startJobsSession();
    if (url) window.location.assign(url.startsWith("http") ? url : baseUrl + url);
  };

  return (
    <>
      <h1>Admin</h1>
      <section className="card" aria-labelledby="health-title">
        <h2 id="health-title">System health</h2>
        {loading.health && !health && <Loading label="Checking…" />}
        <ErrorAlert error={errors.health} />
        {health && (
          <p>
            Status: <span className={health.httpStatus === 200 ? "status-ok" : "status-bad"} data-testid="health-status">{health.status}</span>
            <span className="muted"> — the database, the file store, and e-mail when it is configured (/health/ready answered {health.httpStatus} at {new Date(health.checkedAt).toLocaleTimeString()})</span>
          </p>
        )}
        <button type="button" className="secondary" onClick={() => void loadHealth()} disabled={loading.health}>Check again</button>
      </section>
      <section className="card" aria-labelledby="tools-title">
        <h2 id="tools-title">Tools</h2>
        <ErrorAlert error={errors.jobsSession} />
        <div className="actions">
          <button type="button" onClick={() => void openJobs()} disabled={loading.jobsSession}>
            {loading.jobsSession ? "Opening…" : "Open the jobs dashboard"}
          </button>
          <a className="button secondary" href={`${baseUrl}/docs`}>API reference</a>
        </div>
        <p className="hint">The jobs dashboard shows the background jobs (reminders, SMS, backups, clean-ups); this browser may open it for a short while.</p>
      </section>
    </>
  );
}
