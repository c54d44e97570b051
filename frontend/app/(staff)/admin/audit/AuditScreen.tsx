"use client";
// The audit log (admins): filter by table, record, user and time; each entry opens on its row
// before and after the change, the changed columns marked.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, SelectField, TextField, fieldError } from "../../../../components/ui";
import { useAdminStore, type AuditEntry, type AuditFilter } from "../../../../store/adminStore";

const tables = ["patients", "appointments", "appointment_types", "treatments", "payments", "users", "settings",
  "medical_history_questions", "medical_history_submissions", "medical_history_links", "backups"];

export function AuditScreen() {
  const { audit, auditHasMore, loading, errors, loadAudit, nextAuditPage, users, loadUsers } = useAdminStore();
  const [filter, setFilter] = useState<AuditFilter>({});
  const set = (field: keyof AuditFilter, value: string) => setFilter((f) => ({ ...f, [field]: value }));
  const error = errors.audit;

  useEffect(() => {
    void loadAudit({});
    void loadUsers();
  }, [loadAudit, loadUsers]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    void loadAudit(filter);
  };
  const userName = (id: string | null | undefined) => (id ? users.find((u) => u.id === id)?.name ?? id : null);

  return (
    <>
      <h1>Audit log</h1>
      <form className="card" onSubmit={search} noValidate aria-label="Filter the audit log">
        <div className="row">
          <SelectField label="Table" value={filter.table ?? ""} onChange={(e) => set("table", e.target.value)} error={fieldError(error, "table")}>
            <option value="">Any table</option>
            {tables.map((t) => <option key={t} value={t}>{t}</option>)}
          </SelectField>
          <TextField label="Record id" value={filter.entityId ?? ""} onChange={(e) => set("entityId", e.target.value)} error={fieldError(error, "entityId")} />
          <SelectField label="User" value={filter.userId ?? ""} onChange={(e) => set("userId", e.target.value)} error={fieldError(error, "userId")}>
            <option value="">Anyone</option>
            {users.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
          </SelectField>
          <TextField label="From" type="date" value={filter.from ?? ""} onChange={(e) => set("from", e.target.value)} error={fieldError(error, "from")} />
          <TextField label="To (not included)" type="date" value={filter.to ?? ""} onChange={(e) => set("to", e.target.value)} error={fieldError(error, "to")} />
        </div>
        <div className="actions">
          <button type="submit" disabled={loading.audit}>Show</button>
          <button type="button" className="secondary" onClick={() => { setFilter({}); void loadAudit({}); }}>Clear filters</button>
        </div>
      </form>
      <ErrorAlert error={error} shownFields={["table", "entityId", "userId", "from", "to"]} />
      <div aria-live="polite" aria-busy={loading.audit}>
        {loading.audit && audit.length === 0 && <Loading />}
        {!loading.audit && !error && audit.length === 0 && <p className="empty">No entries match.</p>}
        {audit.length > 0 && (
          <ul className="list card" style={{ padding: 0 }} aria-label="Audit entries">
            {audit.map((entry) => <Entry key={entry.id} entry={entry} who={userName(entry.userId)} />)}
          </ul>
        )}
      </div>
      <ErrorAlert error={errors.nextAuditPage} />
      {auditHasMore && (
        <button type="button" className="secondary" onClick={() => void nextAuditPage()} disabled={loading.nextAuditPage}>
          {loading.nextAuditPage ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}

const pretty = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value, null, 2));

function Entry({ entry, who }: { entry: AuditEntry; who: string | null }) {
  const before = (entry.before ?? null) as Record<string, unknown> | null;
  const after = (entry.after ?? null) as Record<string, unknown> | null;
  const changed = new Set(entry.columns ?? []);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return (
    <li style={{ padding: "0.5rem" }}>
      <details>
        <summary>
          <strong>{entry.action}</strong> {entry.table} <code>{entry.entityId}</code>{" "}
          <span className="muted">· {new Date(entry.occurredAt).toLocaleString()} · {who ?? entry.userRole}{who ? ` (${entry.userRole})` : ""}</span>
        </summary>
        {entry.columns && entry.columns.length > 0 && (
          <p className="hint">{entry.action === "access" ? "Read" : "Changed"}: {entry.columns.join(", ")}</p>
        )}
        {keys.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Column</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k} className={changed.has(k) ? "changed" : undefined}>
                    <th scope="row">{k}{changed.has(k) && <span className="visually-hidden"> (changed)</span>}</th>
                    <td><pre className="value">{before ? pretty(before[k]) : "—"}</pre></td>
                    <td><pre className="value">{after ? pretty(after[k]) : "—"}</pre></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="hint">Request {entry.requestId ?? "—"} · IP {entry.ipAddress ?? "—"}</p>
      </details>
    </li>
  );
}
