"use client";
// The patient's medical-history form, opened from the link they received (no sign-in). The token is
// the last segment of /medical-history/<token> (or ?token= when the page is opened directly).
import { useEffect, useState } from "react";
import { ApiError, client, unwrap, type Schemas } from "../../services/api";
import { asApiError } from "../../store/actions";

type Form = Schemas["MedicalHistoryForm"];

export function tokenFromLocation(): string {
  const match = /^\/medical-history\/([^/?#]+)/.exec(window.location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : new URLSearchParams(window.location.search).get("token") ?? "";
}

/** What a patient is told when the link cannot be used. */
export function linkProblem(error: ApiError): string {
  if (error.status === 404) return "This link is not valid. Please ask the clinic for a new one.";
  if (error.status === 410) return `${error.message}. Please ask the clinic for a new link.`;
  if (error.status === 429) return "Too many attempts. Please wait a minute and try again.";
  return error.message;
}

export function MedicalHistoryForm() {
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const token = tokenFromLocation();
    if (!token) {
      setError(new ApiError(404, "NOT_FOUND", "No link"));
      return;
    }
    unwrap(client.GET("/api/medical-history/{token}", { params: { path: { token } } }))
      .then(setForm)
      .catch((e: unknown) => setError(asApiError(e)));
  }, []);

  return (
    <main id="main" className="center-page">
      <div className="card">
        {!form && !error && <p className="loading" role="status">Loading…</p>}
        {error && (
          <>
            <h1>Medical history</h1>
            <p className="alert error" role="alert">{linkProblem(error)}</p>
          </>
        )}
        {form && (
          <>
            <h1>{form.clinic.name}: medical history</h1>
            <p>Hello {form.patient.firstName}, please answer these {form.questions.length} questions before your visit.</p>
          </>
        )}
      </div>
    </main>
  );
}
