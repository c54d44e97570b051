"use client";
// Choose a patient by typing part of their name (a combobox over the patient search).
import { useEffect, useId, useState } from "react";
import { usePatientStore, type Patient } from "../store/patientStore";

interface Props {
  label?: string;
  value: Patient | null;
  onChange(patient: Patient | null): void;
  error?: string | undefined;
}

export function PatientPicker({ label = "Patient", value, onChange, error }: Props) {
  const id = useId();
  const lookup = usePatientStore((s) => s.lookup);
  const [text, setText] = useState("");
  const [options, setOptions] = useState<Patient[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (value || text.trim().length < 2) {
      setOptions([]);
      return;
    }
    const timer = setTimeout(async () => {
      const found = await lookup(text.trim());
      if (found) {
        setOptions(found);
        setActive(0);
        setOpen(true);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, value, lookup]);

  const choose = (patient: Patient) => {
    onChange(patient);
    setOpen(false);
    setText("");
  };

  if (value) {
    return (
      <div className="field">
        <span className="label" id={`${id}-label`}>{label}</span>
        <div className="row" style={{ alignItems: "center" }}>
          <strong style={{ flex: "1 1 auto" }}>{value.firstName} {value.lastName} <span className="muted">· {value.mobileNumber}</span></strong>
          <div style={{ flex: "0 0 auto" }}><button type="button" className="secondary" onClick={() => onChange(null)}>Change patient</button></div>
        </div>
      </div>
    );
  }

  const listId = `${id}-list`;
  return (
    <div className="field picker">
      <label htmlFor={id}>{label}</label>
      <input id={id} role="combobox" aria-expanded={open && options.length > 0} aria-controls={listId} aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined} aria-invalid={Boolean(error)}
        autoComplete="off" placeholder="Type part of the name…" value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") { e.preventDefault(); setActive((a) => Math.min(a + 1, options.length - 1)); }
          else if (e.key === "ArrowUp") { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
          else if (e.key === "Enter" && open && options[active]) { e.preventDefault(); choose(options[active]); }
          else if (e.key === "Escape") setOpen(false);
        }} />
      {open && options.length > 0 && (
        <ul id={listId} role="listbox" className="picker-options" aria-label={`${label} matches`}>
          {options.map((p, i) => (
            <li key={p.id} id={`${listId}-${i}`} role="option" aria-selected={i === active}
              onMouseDown={(e) => { e.preventDefault(); choose(p); }}>
              {p.firstName} {p.lastName} <span className="muted">· {p.mobileNumber}</span>
            </li>
          ))}
        </ul>
      )}
      {open && text.trim().length >= 2 && options.length === 0 && <p className="hint">No patient matches.</p>}
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}
