"use client";
// Small building blocks every screen shares: fields with the API's message next to them, error and
// loading states.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { ApiError } from "../services/api";

/** The API's message for one field (VALIDATION_ERROR details name the field). */
export function fieldError(error: ApiError | null | undefined, field: string): string | undefined {
  return error?.details.find((d) => d.field === field || d.field.toLowerCase() === field.toLowerCase())?.message;
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": Boolean(error), ...(described ? { "aria-describedby": described } : {}) })}
      {hint && <div id={`${id}-hint`} className="hint">{hint}</div>}
      {error && <div id={`${id}-error`} className="field-error">{error}</div>}
    </div>
  );
}

export function TextField({ label, error, hint, ...input }: { label: string; error?: string | undefined; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} error={error} {...(hint ? { hint } : {})}>{(props) => <input {...input} {...props} />}</Field>;
}

export function SelectField({ label, error, hint, children, ...select }: { label: string; error?: string | undefined; hint?: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return <Field label={label} error={error} {...(hint ? { hint } : {})}>{(props) => <select {...select} {...props}>{children}</select>}</Field>;
}

export function TextAreaField({ label, error, hint, ...area }: { label: string; error?: string | undefined; hint?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Field label={label} error={error} {...(hint ? { hint } : {})}>{(props) => <textarea {...area} {...props} />}</Field>;
}

/**
 * The API's error: its message, and the details that no field on screen shows (`shownFields`).
 */
export function ErrorAlert({ error, shownFields = [] }: { error: ApiError | null | undefined; shownFields?: string[] }) {
  if (!error) return null;
  const rest = error.details.filter((d) => !shownFields.some((f) => f.toLowerCase() === d.field.toLowerCase()));
  return (
    <div className="alert error" role="alert">
      {error.message}
      {rest.length > 0 && (
        <ul>
          {rest.map((d, i) => <li key={i}>{d.field ? `${d.field}: ` : ""}{d.message}</li>)}
        </ul>
      )}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return <p className="loading" role="status">{label}</p>;
}

export function money(value: number | null | undefined): string {
  return (value ?? 0).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A date of the API (YYYY-MM-DD) as the reader's locale writes it. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return "";
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** A timestamp of the API (ISO-8601 UTC) in the reader's time zone. */
export function formatDateTime(timestamp: string | null | undefined): string {
  if (!timestamp) return "";
  return new Date(timestamp).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Today in the browser's time zone, YYYY-MM-DD. */
export function today(): string {
  return new Date().toLocaleDateString("en-CA");
}
