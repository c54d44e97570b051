"use client";
// Patients: search as you type (debounced), "load more" through the API's cursor.
import Link from "next/link";
import { useEffect, useState } from "react";
import { ErrorAlert } from "../../../components/ui";
import { usePatientStore } from "../../../store/patientStore";

const debounceMs = 250;

export function PatientsScreen() {
  const { results, hasMore, loading, errors, search, nextPage, query } = usePatientStore();
  const [text, setText] = useState(query);

  useEffect(() => {
    const timer = setTimeout(() => void search(text.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [text, search]);

  return (
    <>
      <div className="row" style={{ alignItems: "center" }}>
        <h1 style={{ flex: "1 1 auto" }}>Patients</h1>
      </div>
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
