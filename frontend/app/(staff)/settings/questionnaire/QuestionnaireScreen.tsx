"use client";
// The medical-history questionnaire editor: add, edit, reorder, remove, required, options. Saving
// sends the whole list (PUT replaces the questionnaire); the API's errors show on the question they name.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, SelectField, TextAreaField, TextField, fieldError } from "../../../../components/ui";
import { useQuestionnaireStore, type Question } from "../../../../store/questionnaireStore";

interface Draft { key: string; id: string | null; question: string; type: string; options: string; required: boolean }

const types = [
  { value: "text", label: "Short text" },
  { value: "textarea", label: "Long text" },
  { value: "radio", label: "One choice (radio)" },
  { value: "checkbox", label: "Several choices (checkboxes)" },
];
const hasOptions = (type: string) => type === "radio" || type === "checkbox";
let nextKey = 0;
const toDraft = (q: Question): Draft => ({ key: q.id, id: q.id, question: q.question, type: q.type, options: (q.options ?? []).join("\n"), required: q.required });

export function QuestionnaireScreen() {
  const { questions, loading, errors, load, save } = useQuestionnaireStore();
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [saved, setSaved] = useState(false);
  const error = errors.save;

  useEffect(() => {
    void load().then((loaded) => loaded && setDrafts(loaded.map(toDraft)));
  }, [load]);

  const change = (index: number, patch: Partial<Draft>) => {
    setSaved(false);
    setDrafts((d) => d && d.map((q, i) => (i === index ? { ...q, ...patch } : q)));
  };
  const move = (index: number, by: number) => {
    setSaved(false);
    setDrafts((d) => {
      if (!d) return d;
      const to = index + by;
      if (to < 0 || to >= d.length) return d;
      const copy = [...d];
      [copy[index], copy[to]] = [copy[to]!, copy[index]!];
      return copy;
    });
    // Keep the keyboard on the moved question's button.
    requestAnimationFrame(() => document.getElementById(`move-${by < 0 ? "up" : "down"}-${index + by}`)?.focus());
  };
  const remove = (index: number) => {
    setSaved(false);
    setDrafts((d) => d && d.filter((_, i) => i !== index));
  };
  const add = () => {
    setSaved(false);
    setDrafts((d) => [...(d ?? []), { key: `new-${nextKey++}`, id: null, question: "", type: "text", options: "", required: false }]);
    requestAnimationFrame(() => {
      const inputs = document.querySelectorAll<HTMLInputElement>("[data-question-text]");
      inputs[inputs.length - 1]?.focus();
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!drafts) return;
    const result = await save(drafts.map((d, i) => ({
      id: d.id,
      question: d.question,
      type: d.type,
      options: hasOptions(d.type) ? d.options.split("\n").map((o) => o.trim()).filter(Boolean) : null,
      required: d.required,
      order: i + 1,
    })));
    if (result) {
      setDrafts(result.map(toDraft));
      setSaved(true);
    }
  };

  const at = (i: number, field: string) => fieldError(error, `questions[${i}].${field}`);
  const shown = drafts?.flatMap((_, i) => ["question", "type", "options", "order", "required", "id"].map((f) => `questions[${i}].${f}`)) ?? [];

  return (
    <>
      <h1>Medical-history questionnaire</h1>
      <p className="hint">Patients answer these questions on the form their link opens. Changes apply to forms opened from now on; answers already given keep the question as it was.</p>
      <ErrorAlert error={errors.load} />
      {!drafts && loading.load && <Loading />}
      {drafts && (
        <form onSubmit={submit} noValidate aria-label="Questionnaire">
          <ErrorAlert error={error} shownFields={shown} />
          {saved && <p className="alert ok" role="status">Saved: {questions.length} {questions.length === 1 ? "question" : "questions"}.</p>}
          {drafts.length === 0 && <p className="empty">No questions yet. Add the first one.</p>}
          <ol className="list" aria-label="Questions">
            {drafts.map((d, i) => (
              <li key={d.key} className="card question-editor">
                <div className="row">
                  <TextField label={`Question ${i + 1}`} value={d.question} data-question-text onChange={(e) => change(i, { question: e.target.value })} error={at(i, "question")} />
                  <SelectField label={`Type of question ${i + 1}`} value={d.type} onChange={(e) => change(i, { type: e.target.value })} error={at(i, "type")}>
                    {types.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
                  </SelectField>
                </div>
                {hasOptions(d.type) && (
                  <TextAreaField label={`Options of question ${i + 1}, one per line`} rows={3} value={d.options}
                    onChange={(e) => change(i, { options: e.target.value })} error={at(i, "options")} />
                )}
                <label className="choice">
                  <input type="checkbox" checked={d.required} onChange={(e) => change(i, { required: e.target.checked })} />
                  <span>Question {i + 1} is required</span>
                </label>
                {(at(i, "order") || at(i, "id") || at(i, "required")) && <div className="field-error">{at(i, "order") ?? at(i, "id") ?? at(i, "required")}</div>}
                <div className="actions">
                  <button type="button" id={`move-up-${i}`} className="secondary" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move question ${i + 1} up`}>Up</button>
                  <button type="button" id={`move-down-${i}`} className="secondary" onClick={() => move(i, 1)} disabled={i === drafts.length - 1} aria-label={`Move question ${i + 1} down`}>Down</button>
                  <button type="button" className="secondary" onClick={() => remove(i)} aria-label={`Remove question ${i + 1}`}>Remove</button>
                </div>
              </li>
            ))}
          </ol>
          <div className="actions">
            <button type="button" className="secondary" onClick={add}>Add a question</button>
            <button type="submit" disabled={loading.save}>{loading.save ? "Saving…" : "Save questionnaire"}</button>
          </div>
        </form>
      )}
    </>
  );
}
