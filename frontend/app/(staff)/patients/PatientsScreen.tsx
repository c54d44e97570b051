"use client";
// Patients: search as you type (debounced), "load more" through the API's cursor.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { PatientForm } from "../../../components/PatientForm";
import { ErrorAlert } from "../../../components/ui";
import { usePatientStore, type CreatePatientInput } from "../../../store/patientStore";

const debounceMs = 250;

export function PatientsScreen() {
  const { results, hasMore, loading, errors, search, nextPage, query, create, clearError } = usePatientStore();
  const [text, setText] = useState(query);
  const [adding, setAdding] = useState(false);
  const router = useRouter();

  const register = async (input: CreatePatientInput) => {
    const patient = await create(input);
    if (patient) router.push(`/patient?id=${patient.id}`);
  };

  useEffect(() => {
    const timer = setTimeout(() => void search(text.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [text, search]);

  return (
    <>
      <div className="row" style={{ alignItems: "center" }}>
        <h1 style={{ flex: "1 1 auto" }}>Patients</h1>
        {!adding && (
          <div style={{ flex: "0 0 auto" }}>
            <button type="button" onClick={() => { clearError("create"); setAdding(true); }}>New patient</button>
          </div>
        )}
      </div>
      {adding && (
        <section className="card" aria-labelledby="new-patient">
          <h2 id="new-patient" style={{ marginTop: 0 }}>New patient</h2>
          <PatientForm error={errors.create} saving={loading.create} submitLabel="Register patient"
            onSubmit={register} onCancel={() => setAdding(false)} />
        </section>
      )}
      <div className="card">
        <label htmlFor="patient-search">Search by name, phone or email</label>
        <input id="patient-search" type="search" value={text} onChange={(e) => setText(e.target.value)}
          placeholder="Type part of a name…" autoComplete="off" aria-controls="patient-results" />
      </div>
      <ErrorAlert error={errors.search ?? errors.nextPage} />
      <div id="patient-results" aria-live="polite" aria-busy={loading.search}>
        {loading.search && results.length === 0 && <p className="loading" role="status">Searching…</p>}
        {!loading.search && !errors.search && results.length === 0 && (
          <p className="empty">{query ? `No patient matches “${query}”.` : "No patients yet."}</p>
        )}
        {results.length > 0 && (
          <ul className="list card" style={{ padding: 0 }}>
            {results.map((p) => (
              <li key={p.id}>
                <Link href={`/patient?id=${p.id}`}>
                  <strong>{p.lastName}, {p.firstName}</strong> <span className="muted">· {p.mobileNumber}{p.email ? ` · ${p.email}` : ""}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {hasMore && (
          <button type="button" className="secondary" onClick={() => void nextPage()} disabled={loading.nextPage}>
            {loading.nextPage ? "Loading…" : "Load more"}
          </button>
        )}
      </div>
    </>
  );
}
