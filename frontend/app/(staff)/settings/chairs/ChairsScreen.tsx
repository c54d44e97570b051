"use client";
// Chairs (operatories): every role reads them, admins add, rename, recolour, reorder and archive them.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, TextField, fieldError } from "../../../../components/ui";
import type { ApiError } from "../../../../services/api";
import { useAppointmentStore, type Chair } from "../../../../store/appointmentStore";
import { useSessionStore } from "../../../../store/sessionStore";

interface Draft { name: string; color: string; displayOrder: string }
const fields = ["name", "color", "displayOrder"];
const toInput = (d: Draft) => ({ name: d.name, color: d.color, displayOrder: d.displayOrder === "" ? null : Number(d.displayOrder) });

function ChairFields({ draft, set, error, prefix }: { draft: Draft; set(d: Draft): void; error: ApiError | null; prefix: string }) {
  return (
    <div className="row" style={{ alignItems: "flex-start" }}>
      <TextField label={`${prefix}Name`} value={draft.name} onChange={(e) => set({ ...draft, name: e.target.value })} error={fieldError(error, "name")} />
      <TextField label={`${prefix}Colour`} type="color" value={draft.color} onChange={(e) => set({ ...draft, color: e.target.value })}
        error={fieldError(error, "color")} style={{ height: "2.6rem", padding: "0.2rem" }} />
      <TextField label={`${prefix}Display order`} type="number" min={0} max={10000} step={1} value={draft.displayOrder}
        onChange={(e) => set({ ...draft, displayOrder: e.target.value })} error={fieldError(error, "displayOrder")}
        hint="The calendar shows chairs from the lowest number." />
    </div>
  );
}

export function ChairsScreen() {
  const { chairs, archivedChairs, loading, errors, loadChairs, loadArchivedChairs } = useAppointmentStore();
  const isAdmin = useSessionStore((s) => s.user?.role === "admin");

  useEffect(() => {
    void loadChairs();
    void loadArchivedChairs();
  }, [loadChairs, loadArchivedChairs]);

  return (
    <>
      <h1>Chairs</h1>
      <p className="muted">
        Each chair is a column of the calendar. With chairs, the clinic books as many appointments at once as it has
        chairs; without any, one at a time.
      </p>
      {isAdmin ? <NewChair next={chairs.reduce((n, c) => Math.max(n, c.displayOrder + 1), 1)} /> : (
        <p className="alert warn" role="status">Only admins change the chairs.</p>
      )}
      <section className="card" aria-labelledby="chairs-title" aria-busy={loading.chairs}>
        <h2 id="chairs-title">Chairs in use</h2>
        <ErrorAlert error={errors.chairs} />
        {loading.chairs && chairs.length === 0 && <Loading />}
        {!loading.chairs && !errors.chairs && chairs.length === 0 && <p className="empty">No chairs yet: the clinic books one appointment at a time.</p>}
        {chairs.length > 0 && (
          <ul className="list" aria-label="Chairs">
            {chairs.map((c) => <ChairRow key={c.id} chair={c} editable={isAdmin} />)}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="archived-chairs-title" aria-busy={loading.archivedChairs}>
        <h2 id="archived-chairs-title">Archived chairs</h2>
        <p className="muted">No longer bookable; the appointments booked on them keep their name and colour.</p>
        <ErrorAlert error={errors.archivedChairs} />
        {!loading.archivedChairs && !errors.archivedChairs && archivedChairs.length === 0 && <p className="empty">No archived chairs.</p>}
        {archivedChairs.length > 0 && (
          <ul className="list" aria-label="Archived chairs">
            {archivedChairs.map((c) => (
              <li key={c.id} style={{ padding: "0.6rem 0.25rem" }}>
                <span className="swatch" style={{ background: c.color }} aria-hidden="true" /> <strong>{c.name}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function NewChair({ next }: { next: number }) {
  const { createChair, loading, errors, clearError } = useAppointmentStore();
  const [draft, setDraft] = useState<Draft>({ name: "", color: "#3366cc", displayOrder: "" });
  const [created, setCreated] = useState<string | null>(null);
  const error = errors.createChair;

  useEffect(() => () => clearError("createChair"), [clearError]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const chair = await createChair(toInput({ ...draft, displayOrder: draft.displayOrder || String(next) }));
    if (chair) {
      setCreated(chair.name);
      setDraft({ name: "", color: "#3366cc", displayOrder: "" });
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-chair-title">
      <h2 id="new-chair-title">New chair</h2>
      <ErrorAlert error={error} shownFields={fields} />
      {created && <p className="alert ok" role="status">{created} can now be booked.</p>}
      <ChairFields draft={draft} set={setDraft} error={error} prefix="" />
      <button type="submit" disabled={loading.createChair}>{loading.createChair ? "Adding…" : "Add chair"}</button>
    </form>
  );
}

function ChairRow({ chair, editable }: { chair: Chair; editable: boolean }) {
  const { updateChair, deleteChair, loading } = useAppointmentStore();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const updated = await updateChair(chair.id, toInput(draft));
    setError(updated ? null : useAppointmentStore.getState().errors.updateChair);
    if (updated) setDraft(null);
  };
  const archive = async () => {
    if (!window.confirm(`Archive ${chair.name}? It can no longer be booked; its appointments keep it.`)) return;
    const ok = await deleteChair(chair.id);
    if (!ok) setError(useAppointmentStore.getState().errors.deleteChair);
  };

  return (
    <li style={{ padding: "0.6rem 0.25rem" }}>
      {draft ? (
        <form onSubmit={save} noValidate aria-label={`Edit ${chair.name}`}>
          <ErrorAlert error={error} shownFields={fields} />
          <ChairFields draft={draft} set={setDraft} error={error} prefix={`${chair.name}: `} />
          <div className="actions">
            <button type="submit" disabled={loading.updateChair}>Save</button>
            <button type="button" className="secondary" onClick={() => { setDraft(null); setError(null); }}>Cancel</button>
          </div>
        </form>
      ) : (
        <div className="row" style={{ alignItems: "center" }}>
          <span style={{ flex: "2 1 12rem" }}>
            <span className="swatch" style={{ background: chair.color }} aria-hidden="true" /> <strong>{chair.name}</strong>
          </span>
          <span className="muted">Order {chair.displayOrder}</span>
          {editable && (
            <span className="actions" style={{ marginTop: 0 }}>
              <button type="button" className="secondary" aria-label={`Edit ${chair.name}`}
                onClick={() => setDraft({ name: chair.name, color: chair.color.toLowerCase(), displayOrder: String(chair.displayOrder) })}>Edit</button>
              <button type="button" className="danger" aria-label={`Archive ${chair.name}`} onClick={() => void archive()} disabled={loading.deleteChair}>Archive</button>
            </span>
          )}
          {error && <ErrorAlert error={error} />}
        </div>
      )}
    </li>
  );
}
