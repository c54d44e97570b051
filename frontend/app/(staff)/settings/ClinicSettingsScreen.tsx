"use client";
// The clinic's details (admins change them) and its logo, uploaded with a progress bar (admins and dentists).
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { ErrorAlert, Loading, TextField, fieldError } from "../../../components/ui";
import { can, useSessionStore } from "../../../store/sessionStore";
import { useSettingsStore, type Settings } from "../../../store/settingsStore";

const fields = ["clinicName", "timezone", "reminderLeadTimeHours", "clinicPhone", "clinicEmail", "clinicAddress"] as const;

export function ClinicSettingsScreen() {
  const { settings, loading, errors, load } = useSettingsStore();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <h1>Clinic settings</h1>
      <ErrorAlert error={errors.load} />
      {loading.load && !settings && <Loading />}
      {settings && <DetailsForm key={settings.clinicName + settings.timezone} settings={settings} />}
      <LogoUpload />
    </>
  );
}

function DetailsForm({ settings }: { settings: Settings }) {
  const { update, loading, errors } = useSettingsStore();
  const isAdmin = can(useSessionStore((s) => s.user?.role), "admin");
  const [draft, setDraft] = useState({
    clinicName: settings.clinicName,
    timezone: settings.timezone,
    reminderLeadTimeHours: String(settings.reminderLeadTimeHours),
    clinicPhone: settings.clinicPhone ?? "",
    clinicEmail: settings.clinicEmail ?? "",
    clinicAddress: settings.clinicAddress ?? "",
  });
  const [saved, setSaved] = useState(false);
  const error = errors.update;
  const set = (field: keyof typeof draft) => (e: ChangeEvent<HTMLInputElement>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const hours = Number(draft.reminderLeadTimeHours);
    const result = await update({ ...draft, reminderLeadTimeHours: draft.reminderLeadTimeHours === "" || Number.isNaN(hours) ? null : hours });
    setSaved(Boolean(result));
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      {!isAdmin && <p className="hint">Only an admin can change these.</p>}
      <ErrorAlert error={error} shownFields={[...fields]} />
      {saved && <p className="alert ok" role="status">Saved.</p>}
      <fieldset disabled={!isAdmin} style={{ border: "none", padding: 0, margin: 0 }}>
        <div className="row">
          <TextField label="Clinic name" value={draft.clinicName} onChange={set("clinicName")} error={fieldError(error, "clinicName")} />
          <TextField label="Time zone" value={draft.timezone} onChange={set("timezone")} error={fieldError(error, "timezone")} hint="IANA name, e.g. America/New_York" />
          <TextField label="Reminder lead time (hours)" type="number" min={1} value={draft.reminderLeadTimeHours}
            onChange={set("reminderLeadTimeHours")} error={fieldError(error, "reminderLeadTimeHours")} />
        </div>
        <div className="row">
          <TextField label="Phone" type="tel" value={draft.clinicPhone} onChange={set("clinicPhone")} error={fieldError(error, "clinicPhone")} />
          <TextField label="Email" type="email" value={draft.clinicEmail} onChange={set("clinicEmail")} error={fieldError(error, "clinicEmail")} />
          <TextField label="Address" value={draft.clinicAddress} onChange={set("clinicAddress")} error={fieldError(error, "clinicAddress")} />
        </div>
        {isAdmin && <button type="submit" disabled={loading.update}>{loading.update ? "Saving…" : "Save details"}</button>}
      </fieldset>
    </form>
  );
}

function LogoUpload() {
  const { logo, uploadProgress, loading, errors, loadLogo, uploadLogo } = useSettingsStore();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [lastProgress, setLastProgress] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const error = errors.uploadLogo;

  useEffect(() => {
    void loadLogo();
  }, [loadLogo]);
  // The store clears the progress when the upload ends; the bar keeps showing where it got to.
  useEffect(() => {
    if (uploadProgress !== null) setLastProgress(uploadProgress);
  }, [uploadProgress]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setDone(false);
    setLastProgress(0);
    const result = await uploadLogo(file);
    setDone(Boolean(result));
    if (result && input.current) {
      input.current.value = "";
      setFile(null);
    }
  };

  const percent = lastProgress === null ? null : Math.round(lastProgress * 100);
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="logo-title">
      <h2 id="logo-title">Logo</h2>
      <p className="hint">Shown on the patient&apos;s form and receipts. PNG or JPEG, at most 5 MB.</p>
      {loading.loadLogo && !logo && <Loading />}
      {!loading.loadLogo && !logo && !errors.loadLogo && <p className="empty">No logo yet.</p>}
      <ErrorAlert error={errors.loadLogo} />
      {logo && (
        <p className="clinic-header">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={logo.url} alt="The clinic's current logo" />
          <span className="hint">{logo.contentType}, {(logo.size / 1024).toFixed(1)} kB, {new Date(logo.updatedAt).toLocaleString()}</span>
        </p>
      )}
      <div className="field">
        <label htmlFor="logo-file">New logo</label>
        <input id="logo-file" ref={input} type="file" accept="image/png,image/jpeg" aria-invalid={Boolean(error)}
          aria-describedby={error ? "logo-error" : undefined} onChange={(e) => { setFile(e.target.files?.[0] ?? null); setDone(false); }} />
        {error && <div id="logo-error" className="field-error">{error.fieldMessage("file") ?? error.message}</div>}
      </div>
      {percent !== null && (
        <div className="field">
          <label htmlFor="logo-progress">Upload progress</label>
          <progress id="logo-progress" className="progress" max={100} value={percent} aria-valuetext={`${percent} %`} />
          <span className="hint" aria-live="polite" data-testid="upload-percent">{percent} %</span>
        </div>
      )}
      {done && <p className="alert ok" role="status">Logo uploaded.</p>}
      <button type="submit" disabled={!file || loading.uploadLogo}>{loading.uploadLogo ? "Uploading…" : "Upload logo"}</button>
    </form>
  );
}
