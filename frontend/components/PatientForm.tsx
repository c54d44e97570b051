"use client";
// Create or edit a patient; the API's messages appear next to the fields they name.
import { useState, type FormEvent } from "react";
import type { ApiError } from "../services/api";
import type { CreatePatientInput, Patient } from "../store/patientStore";
import { ErrorAlert, TextField, fieldError } from "./ui";

const fields = ["firstName", "lastName", "mobileNumber", "email", "dateOfBirth"];

interface Props {
  initial?: Patient | null;
  error: ApiError | null;
  saving: boolean;
  submitLabel: string;
  onSubmit(input: CreatePatientInput): void;
  onCancel?(): void;
}

export function PatientForm({ initial, error, saving, submitLabel, onSubmit, onCancel }: Props) {
  const [form, setForm] = useState({
    firstName: initial?.firstName ?? "",
    lastName: initial?.lastName ?? "",
    mobileNumber: initial?.mobileNumber ?? "",
    email: initial?.email ?? "",
    dateOfBirth: initial?.dateOfBirth ?? "",
  });
  const change = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      firstName: form.firstName.trim(),
      lastName: form.lastName.trim(),
      mobileNumber: form.mobileNumber.trim(),
      email: form.email.trim() || null,
      dateOfBirth: form.dateOfBirth || null,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorAlert error={error} shownFields={fields} />
      <div className="row">
        <TextField label="First name" name="firstName" autoComplete="off" required value={form.firstName} onChange={change("firstName")} error={fieldError(error, "firstName")} />
        <TextField label="Last name" name="lastName" autoComplete="off" required value={form.lastName} onChange={change("lastName")} error={fieldError(error, "lastName")} />
      </div>
      <div className="row">
        <TextField label="Mobile number" name="mobileNumber" type="tel" autoComplete="off" required value={form.mobileNumber} onChange={change("mobileNumber")}
          error={fieldError(error, "mobileNumber")} hint="With the country code, e.g. +1 415 555 0100" />
        <TextField label="Email (optional)" name="email" type="email" autoComplete="off" value={form.email} onChange={change("email")} error={fieldError(error, "email")} />
        <TextField label="Date of birth (optional)" name="dateOfBirth" type="date" value={form.dateOfBirth} onChange={change("dateOfBirth")} error={fieldError(error, "dateOfBirth")} />
      </div>
      <div className="actions">
        <button type="submit" disabled={saving}>{saving ? "Saving…" : submitLabel}</button>
        {onCancel && <button type="button" className="secondary" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
