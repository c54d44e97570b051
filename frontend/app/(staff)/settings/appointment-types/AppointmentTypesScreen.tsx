"use client";
// Appointment types (admins and dentists): name, price, duration and calendar colour; edit and archive.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, TextField, fieldError, money } from "../../../../components/ui";
import type { ApiError } from "../../../../services/api";
import { useAppointmentStore, type AppointmentType } from "../../../../store/appointmentStore";

interface Draft { name: string; price: string; duration: string; color: string }
const blank: Draft = { name: "", price: "", duration: "30", color: "#3b82f6" };
const toInput = (d: Draft) => ({ name: d.name, price: d.price === "" ? null : Number(d.price), duration: d.duration === "" ? null : Number(d.duration), color: d.color });

function TypeFields({ draft, set, error, prefix }: { draft: Draft; set(d: Draft): void; error: ApiError | null; prefix: string }) {
  return (
    <div className="row">
      <TextField label={`${prefix}Name`} value={draft.name} onChange={(e) => set({ ...draft, name: e.target.value })} error={fieldError(error, "name")} />
      <TextField label={`${prefix}Price`} type="number" min={0} step="0.01" inputMode="decimal" value={draft.price}
        onChange={(e) => set({ ...draft, price: e.target.value })} error={fieldError(error, "price")} />
      <TextField label={`${prefix}Duration (minutes)`} type="number" min={5} max={480} step={5} value={draft.duration}
        onChange={(e) => set({ ...draft, duration: e.target.value })} error={fieldError(error, "duration")} />
      <TextField label={`${prefix}Colour`} type="color" value={draft.color} onChange={(e) => set({ ...draft, color: e.target.value })}
        error={fieldError(error, "color")} style={{ height: "2.6rem", padding: "0.2rem" }} />
    </div>
  );
}

export function AppointmentTypesScreen() {
  const { types, loading, errors, loadTypes, createType } = useAppointmentStore();
  const [draft, setDraft] = useState<Draft>(blank);
  const [created, setCreated] = useState<string | null>(null);

  useEffect(() => {
    void loadTypes();
  }, [loadTypes]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const type = await createType(toInput(draft));
    setCreated(type ? type.name : null);
    if (type) setDraft(blank);
  };

  return (
    <>
      <h1>Appointment types</h1>
      <form className="card" onSubmit={submit} noValidate aria-labelledby="new-type-title">
        <h2 id="new-type-title">New type</h2>
        <ErrorAlert error={errors.createType} shownFields={["name", "price", "duration", "color"]} />
        {created && <p className="alert ok" role="status">{created} can now be booked.</p>}
        <TypeFields draft={draft} set={setDraft} error={errors.createType} prefix="" />
        <button type="submit" disabled={loading.createType}>{loading.createType ? "Adding…" : "Add type"}</button>
      </form>
      <section className="card" aria-labelledby="types-title">
        <h2 id="types-title">Bookable types</h2>
        <ErrorAlert error={errors.types} />
        {loading.types && types.length === 0 && <Loading />}
        {!loading.types && !errors.types && types.length === 0 && <p className="empty">No appointment types yet.</p>}
        {types.length > 0 && (
          <ul className="list">
            {types.map((t) => <TypeRow key={t.id} type={t} />)}
          </ul>
        )}
      </section>
    </>
  );
}

function TypeRow({ type }: { type: AppointmentType }) {
  const { updateType, archiveType, loading } = useAppointmentStore();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const updated = await updateType(type.id, toInput(draft));
    setError(updated ? null : useAppointmentStore.getState().errors.updateType);
    if (updated) setDraft(null);
  };
  const archive = async () => {
    if (!window.confirm(`Archive ${type.name}? It can no longer be booked; past appointments keep it.`)) return;
    const ok = await archiveType(type.id);
    if (!ok) setError(useAppointmentStore.getState().errors.archiveType);
  };

  return (
    <li style={{ padding: "0.6rem 0.25rem" }}>
      {draft ? (
        <form onSubmit={save} noValidate aria-label={`Edit ${type.name}`}>
          <ErrorAlert error={error} shownFields={["name", "price", "duration", "color"]} />
          <TypeFields draft={draft} set={setDraft} error={error} prefix={`${type.name}: `} />
          <div className="actions">
            <button type="submit" disabled={loading.updateType}>Save</button>
            <button type="button" className="secondary" onClick={() => { setDraft(null); setError(null); }}>Cancel</button>
          </div>
        </form>
      ) : (
        <div className="row" style={{ alignItems: "center" }}>
          <span style={{ flex: "2 1 12rem" }}>
            <span className="swatch" style={{ background: type.color }} aria-hidden="true" /> <strong>{type.name}</strong>
          </span>
          <span className="money">{money(type.price)}</span>
          <span>{type.duration} min</span>
          <span className="actions" style={{ marginTop: 0 }}>
            <button type="button" className="secondary" aria-label={`Edit ${type.name}`}
              onClick={() => setDraft({ name: type.name, price: String(type.price), duration: String(type.duration), color: type.color.toLowerCase() })}>Edit</button>
            <button type="button" className="danger" aria-label={`Archive ${type.name}`} onClick={() => void archive()} disabled={loading.archiveType}>Archive</button>
          </span>
          {error && <ErrorAlert error={error} />}
        </div>
      )}
    </li>
  );
}
