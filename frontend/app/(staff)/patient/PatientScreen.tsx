"use client";
// One patient: details (edit, archive), account, appointments, treatments by tooth, the medical
// history (form links and signed submissions).
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { PatientForm } from "../../../components/PatientForm";
import { ErrorAlert, Loading, formatDate } from "../../../components/ui";
import { useAppointmentStore } from "../../../store/appointmentStore";
import { usePatientStore, type CreatePatientInput } from "../../../store/patientStore";
import { can, useSessionStore } from "../../../store/sessionStore";
import { AccountSection } from "./AccountSection";
import { AppointmentsSection } from "./AppointmentsSection";
import { MedicalHistorySection } from "./MedicalHistorySection";
import { TreatmentsSection } from "./TreatmentsSection";

export function PatientScreen() {
  const id = useSearchParams().get("id") ?? "";
  const role = useSessionStore((s) => s.user?.role);
  const { current, loading, errors, get, update, archive, clearError } = usePatientStore();
  const loadTypes = useAppointmentStore((s) => s.loadTypes);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const router = useRouter();

  useEffect(() => {
    if (id) void get(id);
    void loadTypes();
  }, [id, get, loadTypes]);

  useEffect(() => {
    if (current) document.title = `${current.firstName} ${current.lastName} · DentalClinic`;
  }, [current]);

  if (!id) return <p className="alert error" role="alert">No patient was named. <Link href="/patients">Find a patient</Link>.</p>;
  const patient = current?.id === id ? current : null;
  if (!patient) {
    return errors.get ? (
      <>
        <h1>Patient</h1>
        <ErrorAlert error={errors.get} />
        <p><Link href="/patients">Back to patients</Link></p>
      </>
    ) : <Loading />;
  }

  const save = async (input: CreatePatientInput) => {
    setSaved(false);
    if (await update(id, input)) {
      setEditing(false);
      setSaved(true);
    }
  };
  const onArchive = async () => {
    if (!window.confirm(`Archive ${patient.firstName} ${patient.lastName}? They disappear from searches; an admin can restore them.`)) return;
    if (await archive(id)) router.push("/patients");
  };

  return (
    <>
      <p className="no-print"><Link href="/patients">← Patients</Link></p>
      <h1>{patient.firstName} {patient.lastName}</h1>
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading" style={{ marginTop: 0 }}>Details</h2>
        {saved && <p className="alert ok" role="status">Saved.</p>}
        {editing ? (
          <PatientForm initial={patient} error={errors.update} saving={loading.update} submitLabel="Save changes"
            onSubmit={save} onCancel={() => setEditing(false)} />
        ) : (
          <>
            <dl className="details">
              <dt>Mobile</dt><dd>{patient.mobileNumber}</dd>
              <dt>Email</dt><dd>{patient.email || <span className="muted">—</span>}</dd>
              <dt>Date of birth</dt><dd>{patient.dateOfBirth ? formatDate(patient.dateOfBirth) : <span className="muted">—</span>}</dd>
            </dl>
            <ErrorAlert error={errors.archive} />
            <div className="actions no-print">
              <button type="button" className="secondary" onClick={() => { clearError("update"); setSaved(false); setEditing(true); }}>Edit details</button>
              {can(role, "archivePatients") && (
                <button type="button" className="danger" onClick={onArchive} disabled={loading.archive}>Archive patient</button>
              )}
            </div>
          </>
        )}
      </section>
      <AccountSection patient={patient} />
      <AppointmentsSection patientId={id} />
      <TreatmentsSection patientId={id} />
      <MedicalHistorySection patient={patient} />
    </>
  );
}
