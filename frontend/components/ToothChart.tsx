"use client";
// The adult teeth 1–32 (Universal numbering) as the dentist faces the patient: upper jaw 1–16 from
// the patient's right, lower jaw 32–17. A tooth with treatments is marked; choosing one filters.

interface Props {
  /** How many treatments each tooth has. */
  counts: Map<number, number>;
  selected: number | null;
  onSelect(tooth: number | null): void;
}

const upper = Array.from({ length: 16 }, (_, i) => i + 1);
const lower = Array.from({ length: 16 }, (_, i) => 32 - i);

export function ToothChart({ counts, selected, onSelect }: Props) {
  const tooth = (n: number) => {
    const count = counts.get(n) ?? 0;
    const label = `Tooth ${n}${count ? `, ${count} treatment${count > 1 ? "s" : ""}` : ""}`;
    return (
      <li key={n}>
        <button type="button" className={`tooth${count ? " treated" : ""}`} aria-pressed={selected === n} title={label}
          onClick={() => onSelect(selected === n ? null : n)}>
          <span className="sr-only">Tooth </span>{n}
          {count > 0 && <span className="sr-only">, {count} treatment{count > 1 ? "s" : ""}</span>}
          {count > 0 && <span className="tooth-count" aria-hidden="true">{count}</span>}
        </button>
      </li>
    );
  };
  return (
    <div className="tooth-chart" role="group" aria-label="Teeth 1 to 32">
      <p className="hint">Upper jaw (patient&apos;s right to left)</p>
      <ul className="teeth">{upper.map(tooth)}</ul>
      <ul className="teeth">{lower.map(tooth)}</ul>
      <p className="hint">Lower jaw</p>
    </div>
  );
}
