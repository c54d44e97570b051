"use client";
// The patient's medical-history form, opened from the link they received (no sign-in). The token is
// the last segment of /medical-history/<token> (or ?token= when the page is opened directly).
// Phone-first: one column, large targets; the signature is drawn on a canvas (signature_pad), or typed.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Field, TextField, fieldError } from "../../components/ui";
import { ApiError, client, unwrap, type Schemas } from "../../services/api";
import { asApiError } from "../../store/actions";
import { SignatureField, type SignatureHandle } from "./SignatureField";

type Form = Schemas["MedicalHistoryForm"];
type Question = Schemas["FormQuestion"];
type Answer = string | string[];

export function tokenFromLocation(): string {
  const match = /^\/medical-history\/([^/?#]+)/.exec(window.location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : new URLSearchParams(window.location.search).get("token") ?? "";
}

/** What a patient is told when the link cannot be used. */
export function linkProblem(error: ApiError): string {
  if (error.status === 404) return "This link is not valid. Please ask the clinic for a new one.";
  if (error.status === 410) return `${error.message}. Please ask the clinic for a new link.`;
  if (error.status === 429) return "Too many attempts. Please wait a minute and try again.";
  if (error.status === 0) return "The clinic could not be reached. Please check your connection and try again.";
  return error.message;
}

/**
 * The API's message about one question: `answers[i].answer` names the i-th answer sent (the
 * questions are sent in order), and a missing required answer is reported on `answers` by its text.
 */
function questionError(error: ApiError | null, index: number, question: Question): string | undefined {
  if (!error) return undefined;
  return error.details.find((d) => d.field.startsWith(`answers[${index}]`))?.message
    ?? error.details.find((d) => d.field === "answers" && d.message.includes(`"${question.question}"`))?.message;
}

/** Every field the screen shows next to an input (the rest go in the alert at the top). */
function shownFields(error: ApiError | null, questions: Question[]): string[] {
  if (!error) return [];
  return error.details.map((d) => d.field).filter((field, i) =>
    field === "dateOfBirth" || field === "signature" || /^answers\[\d+\]/.test(field) ||
    (field === "answers" && questions.some((q) => error.details[i]?.message.includes(`"${q.question}"`))));
}

export function MedicalHistoryForm() {
  const [token, setToken] = useState("");
  const [form, setForm] = useState<Form | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [dateOfBirth, setDateOfBirth] = useState("");
  const [signature, setSignature] = useState<SignatureHandle | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    const token = tokenFromLocation();
    setToken(token);
    if (!token) {
      setLoadError(new ApiError(404, "NOT_FOUND", "No link"));
      return;
    }
    unwrap(client.GET("/api/medical-history/{token}", { params: { path: { token } } }))
      .then((form) => setForm({ ...form, questions: [...form.questions].sort((a, b) => a.order - b.order) }))
      .catch((e: unknown) => setLoadError(asApiError(e)));
  }, []);

  const setAnswer = (id: string, value: Answer) => setAnswers((a) => ({ ...a, [id]: value }));
  const toggle = (id: string, option: string, on: boolean) => {
    const current = Array.isArray(answers[id]) ? (answers[id] as string[]) : [];
    setAnswer(id, on ? [...current.filter((o) => o !== option), option] : current.filter((o) => o !== option));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setSubmitting(true);
    setSubmitError(null);
    try {
      await unwrap(client.POST("/api/medical-history/{token}", {
        params: { path: { token } },
        body: {
          dateOfBirth: dateOfBirth || null,
          signature: signature?.toDataUrl() ?? "",
          answers: form.questions.map((q) => ({
            questionId: q.id,
            answer: answers[q.id] ?? (q.type === "checkbox" ? [] : ""),
          })),
        },
      }));
      setDone(true);
      window.scrollTo(0, 0);
    } catch (error) {
      const apiError = asApiError(error);
      // A link that became unusable meanwhile (used, locked, expired): the form is over.
      if (apiError.status === 410 || apiError.status === 404) setLoadError(apiError);
      else setSubmitError(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  if (loadError || done || !form) {
    return (
      <main id="main" className="form-page">
        <div className="card">
          {!form && !loadError && <p className="loading" role="status">Loading your form…</p>}
          {form && <ClinicHeader form={form} />}
          {loadError && (
            <>
              <h1>Medical history form</h1>
              <p className="alert error" role="alert">{linkProblem(loadError)}</p>
            </>
          )}
          {done && !loadError && (
            <>
              <h1>Thank you, {form?.patient.firstName}</h1>
              <p className="alert ok" role="status">Your medical history has been sent to the clinic. You can close this page.</p>
            </>
          )}
        </div>
      </main>
    );
  }

  return (
    <main id="main" className="form-page">
      <form className="card" onSubmit={submit} noValidate aria-labelledby="form-title">
        <ClinicHeader form={form} />
        <h1 id="form-title">Medical history</h1>
        <p>Hello {form.patient.firstName}, please answer these questions before your visit. Questions marked <span aria-hidden="true">*</span><span className="visually-hidden">with an asterisk</span> are required.</p>
        {submitError?.code === "VALIDATION_ERROR"
          ? <ValidationAlert error={submitError} shown={shownFields(submitError, form.questions)} />
          : <ErrorAlert error={submitError} />}

        {form.questions.length === 0 && <p className="empty">The clinic has no questions for you; please confirm your date of birth and sign.</p>}
        {form.questions.map((q, i) => (
          <QuestionInput key={q.id} question={q} value={answers[q.id]} error={questionError(submitError, i, q)}
            onChange={(v) => setAnswer(q.id, v)} onToggle={(o, on) => toggle(q.id, o, on)} />
        ))}

        <TextField label="Date of birth *" type="date" name="dateOfBirth" required autoComplete="bday" value={dateOfBirth}
          max={new Date().toISOString().slice(0, 10)} onChange={(e) => setDateOfBirth(e.target.value)}
          hint="We check it against our records." error={fieldError(submitError, "dateOfBirth")} />

        <SignatureField onReady={setSignature} error={fieldError(submitError, "signature")} />

        <div className="actions">
          <button type="submit" className="wide" disabled={submitting}>{submitting ? "Sending…" : "Send to the clinic"}</button>
        </div>
        <p className="hint">This link expires {new Date(form.expiresAt).toLocaleString()}.</p>
      </form>
    </main>
  );
}

/** What to fix, in words; the details the screen shows next to their fields are not repeated. */
function ValidationAlert({ error, shown }: { error: ApiError; shown: string[] }) {
  const rest = error.details.filter((d) => !shown.includes(d.field));
  return (
    <div className="alert error" role="alert">
      Please check the {error.details.length === 1 ? "answer" : "answers"} marked below.
      {rest.length > 0 && <ul>{rest.map((d, i) => <li key={i}>{d.message}</li>)}</ul>}
    </div>
  );
}

function ClinicHeader({ form }: { form: Form }) {
  return (
    <div className="clinic-header">
      {form.clinic.logoUrl && (
        // A plain img: the app is a static export (no image optimiser), and the logo's size is the clinic's.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={form.clinic.logoUrl} alt={`${form.clinic.name} logo`} />
      )}
      <p className="clinic-name">{form.clinic.name}</p>
    </div>
  );
}

interface QuestionInputProps {
  question: Question;
  value: Answer | undefined;
  error: string | undefined;
  onChange(value: string): void;
  onToggle(option: string, on: boolean): void;
}

function QuestionInput({ question: q, value, error, onChange, onToggle }: QuestionInputProps) {
  const label = q.required ? `${q.question} *` : q.question;
  const name = `q-${q.id}`;
  if (q.type === "radio" || q.type === "checkbox") {
    const errorId = `${name}-error`;
    return (
      <fieldset className="choices" aria-describedby={error ? errorId : undefined}>
        <legend>{label}</legend>
        {(q.options ?? []).map((option) => (
          <label key={option} className="choice">
            {q.type === "radio" ? (
              <input type="radio" name={name} value={option} checked={value === option} required={q.required}
                onChange={() => onChange(option)} />
            ) : (
              <input type="checkbox" name={name} value={option} checked={Array.isArray(value) && value.includes(option)}
                onChange={(e) => onToggle(option, e.target.checked)} />
            )}
            <span>{option}</span>
          </label>
        ))}
        {error && <div id={errorId} className="field-error">{error}</div>}
      </fieldset>
    );
  }
  const text = typeof value === "string" ? value : "";
  return (
    <Field label={label} error={error}>
      {(props) => q.type === "textarea"
        ? <textarea {...props} name={name} rows={4} value={text} required={q.required} onChange={(e) => onChange(e.target.value)} />
        : <input {...props} type="text" name={name} value={text} required={q.required} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
