"use client";
// Treatments by tooth: the chart filters the list; admins and dentists record a treatment.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ToothChart } from "../../../components/ToothChart";
import { ErrorAlert, Loading, SelectField, TextAreaField, TextField, fieldError, formatDate, money, today } from "../../../components/ui";
import { useAppointmentStore } from "../../../store/appointmentStore";
import { can, useSessionStore } from "../../../store/sessionStore";
import { useTreatmentStore } from "../../../store/treatmentStore";

const treatmentFields = ["toothNumber", "appointmentTypeId", "date", "totalPrice", "discount", "amountPaid", "paymentMethod", "notes"];

export function TreatmentsSection({ patientId }: { patientId: string }) {
  const role = useSessionStore((s) => s.user?.role);
  const { items, patientId: shownFor, loading, errors, loadByPatient, create, clearError } = useTreatmentStore();
  const types = useAppointmentStore((s) => s.types);
  const [tooth, setTooth] = useState<number | null>(null);
  const [recording, setRecording] = useState(false);
  const [recorded, setRecorded] = useState(false);

  useEffect(() => {
    void loadByPatient(patientId);
  }, [patientId, loadByPatient]);

  const treatments = useMemo(() => (shownFor === patientId ? items : []), [items, shownFor, patientId]);
  const counts = useMemo(() => {
    const map = new Map<number, number>();
    for (const t of treatments) map.set(t.toothNumber, (map.get(t.toothNumber) ?? 0) + 1);
    return map;
  }, [treatments]);
  const shown = tooth ? treatments.filter((t) => t.toothNumber === tooth) : treatments;
  const typeName = (id: string) => types.find((t) => t.id === id)?.name ?? "—";

  return (
    <section className="card" aria-labelledby="treatments-heading">
      <div className="row" style={{ alignItems: "center" }}>
        <h2 id="treatments-heading" style={{ margin: 0 }}>Treatments</h2>
        {can(role, "writeTreatments") && !recording && (
          <div style={{ flex: "0 0 auto" }} className="no-print">
            <button type="button" onClick={() => { clearError("create"); setRecorded(false); setRecording(true); }}>Record a treatment</button>
          </div>
        )}
      </div>
      <ToothChart counts={counts} selected={tooth} onSelect={setTooth} />
      {recorded && <p className="alert ok" role="status">Treatment recorded.</p>}
      {recording && (
        <TreatmentForm patientId={patientId} tooth={tooth} saving={loading.create} onCancel={() => setRecording(false)}
          onSave={async (input) => {
            if (await create(input)) {
              setRecording(false);
              setRecorded(true);
            }
          }} />
      )}
      <h3>{tooth ? `Tooth ${tooth}` : "All teeth"}</h3>
      <ErrorAlert error={errors.byPatient} />
      {loading.byPatient && treatments.length === 0 && <Loading />}
      {!loading.byPatient && !errors.byPatient && shown.length === 0 && (
        <p className="empty">{tooth ? `No treatments on tooth ${tooth}.` : "No treatments yet."}</p>
      )}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Date</th><th scope="col">Tooth</th><th scope="col">Treatment</th><th scope="col">Price</th><th scope="col">Discount</th><th scope="col">Paid</th><th scope="col">Balance</th><th scope="col">Notes</th></tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.id}>
                  <td>{formatDate(t.date)}</td>
                  <td>{t.toothNumber}</td>
                  <td>{typeName(t.appointmentTypeId)}</td>
                  <td className="money">{money(t.totalPrice)}</td>
                  <td className="money">{money(t.discount)}</td>
                  <td className="money">{money(t.amountPaid)}</td>
                  <td className="money">{money(t.balance)}</td>
                  <td>{t.notes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type TreatmentInput = Parameters<ReturnType<typeof useTreatmentStore.getState>["create"]>[0];

function TreatmentForm({ patientId, tooth, saving, onSave, onCancel }: {
  patientId: string; tooth: number | null; saving: boolean; onSave(input: TreatmentInput): void; onCancel(): void;
}) {
  const types = useAppointmentStore((s) => s.types);
  const error = useTreatmentStore((s) => s.errors.create);
  const [form, setForm] = useState({
    toothNumber: tooth ? String(tooth) : "",
    appointmentTypeId: "",
    date: today(),
    totalPrice: "",
    discount: "0",
    amountPaid: "",
    paymentMethod: "cash",
    notes: "",
  });
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => {
    const next = { ...form, [name]: e.target.value };
    // Choosing a type fills in its price while no price was typed.
    if (name === "appointmentTypeId" && !form.totalPrice) next.totalPrice = String(types.find((t) => t.id === e.target.value)?.price ?? "");
    setForm(next);
  };
  const number = (value: string) => (value.trim() === "" ? null : Number(value));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave({
      patientId,
      toothNumber: number(form.toothNumber),
      appointmentTypeId: form.appointmentTypeId || null,
      date: form.date || null,
      totalPrice: number(form.totalPrice),
      discount: number(form.discount),
      amountPaid: number(form.amountPaid),
      ...(number(form.amountPaid) ? { paymentMethod: form.paymentMethod as TreatmentInput["paymentMethod"] } : {}),
      notes: form.notes.trim() || null,
    });
  };

  return (
    <form onSubmit={submit} noValidate className="card" aria-label="Record a treatment">
      <ErrorAlert error={error} shownFields={treatmentFields} />
      <div className="row">
        <SelectField label="Tooth" value={form.toothNumber} onChange={set("toothNumber")} error={fieldError(error, "toothNumber")}>
          <option value="">Choose a tooth</option>
          {Array.from({ length: 32 }, (_, i) => i + 1).map((n) => <option key={n} value={n}>{n}</option>)}
        </SelectField>
        <SelectField label="Treatment type" value={form.appointmentTypeId} onChange={set("appointmentTypeId")} error={fieldError(error, "appointmentTypeId")}>
          <option value="">Choose a type</option>
          {types.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </SelectField>
        <TextField label="Date" type="date" value={form.date} onChange={set("date")} error={fieldError(error, "date")} />
      </div>
      <div className="row">
        <TextField label="Price" type="number" inputMode="decimal" min="0" step="0.01" value={form.totalPrice} onChange={set("totalPrice")} error={fieldError(error, "totalPrice")} />
        <TextField label="Discount" type="number" inputMode="decimal" min="0" step="0.01" value={form.discount} onChange={set("discount")} error={fieldError(error, "discount")} />
        <TextField label="Paid now (optional)" type="number" inputMode="decimal" min="0" step="0.01" value={form.amountPaid} onChange={set("amountPaid")}
          error={fieldError(error, "amountPaid")} hint="Recorded as a payment; without it, the patient's credit pays first" />
        <SelectField label="Paid by" value={form.paymentMethod} onChange={set("paymentMethod")} error={fieldError(error, "paymentMethod")}>
          {["cash", "card", "transfer", "insurance", "other"].map((m) => <option key={m} value={m}>{m[0]!.toUpperCase() + m.slice(1)}</option>)}
        </SelectField>
      </div>
      <TextAreaField label="Notes" rows={2} value={form.notes} onChange={set("notes")} error={fieldError(error, "notes")} />
      <div className="actions">
        <button type="submit" disabled={saving}>{saving ? "Saving…" : "Save treatment"}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
