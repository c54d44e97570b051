"use client";
// The patient's medical history: send the form link (copy it, or text it), the links' status, and
// the signed submissions with their signature (admins and dentists).
import { useEffect, useRef, useState } from "react";
import { ErrorAlert, Loading, formatDate, formatDateTime } from "../../../components/ui";
import { useMedicalHistoryStore, type MedicalHistoryLinkStatus } from "../../../store/medicalHistoryStore";
import type { PatientDetails } from "../../../store/patientStore";
import { can, useSessionStore } from "../../../store/sessionStore";

function linkState(link: MedicalHistoryLinkStatus): string {
  if (link.usedAt) return `Used ${formatDateTime(link.usedAt)}`;
  if (link.locked) return "Locked (too many wrong dates of birth)";
  if (new Date(link.expiresAt) < new Date()) return "Expired";
  return "Open";
}

function smsState(link: MedicalHistoryLinkStatus): string {
  if (!link.sms) return "Not texted";
  const { status, sentAt, lastError } = link.sms;
  if (sentAt) return `Text ${status} ${formatDateTime(sentAt)}`;
  return `Text ${status}${lastError ? ` (${lastError})` : ""}`;
}

export function MedicalHistorySection({ patient }: { patient: PatientDetails }) {
  const role = useSessionStore((s) => s.user?.role);
  const readHistory = can(role, "readHistory");
  const { links, lastLink, submissions, patientId, loading, errors, loadLinks, createLink, loadSubmissions } = useMedicalHistoryStore();
  const [copied, setCopied] = useState(false);
  const linkInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadLinks(patient.id);
    if (readHistory) void loadSubmissions(patient.id);
  }, [patient.id, readHistory, loadLinks, loadSubmissions]);

  const mine = patientId === patient.id;
  const make = async (sendSms: boolean) => {
    setCopied(false);
    await createLink(patient.id, { sendSms });
  };
  const copy = async () => {
    if (!lastLink) return;
    try {
      await navigator.clipboard.writeText(lastLink.url);
    } catch {
      // No clipboard (an insecure origin): select the text so it can be copied by hand.
      linkInput.current?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
  };

  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading" style={{ marginTop: 0 }}>Medical history</h2>
      <div className="actions no-print">
        <button type="button" onClick={() => void make(false)} disabled={loading.createLink}>Create form link</button>
        <button type="button" className="secondary" onClick={() => void make(true)} disabled={loading.createLink}>Text form link to {patient.mobileNumber}</button>
      </div>
      <ErrorAlert error={errors.createLink} />
      {mine && lastLink && (
        <div className="field" style={{ marginTop: "0.75rem" }}>
          <label htmlFor="form-link">Form link (single use, until {formatDateTime(lastLink.expiresAt)})</label>
          <div className="row" style={{ alignItems: "center" }}>
            <input id="form-link" ref={linkInput} readOnly value={lastLink.url} onFocus={(e) => e.target.select()} style={{ flex: "1 1 20rem" }} />
            <div style={{ flex: "0 0 auto" }}><button type="button" className="secondary" onClick={() => void copy()}>Copy link</button></div>
          </div>
          <p role="status" className="hint">
            {copied ? "Link copied." : ""}
            {lastLink.sms ? ` Text to ${lastLink.sms.to}: ${lastLink.sms.status}.` : ""}
          </p>
        </div>
      )}

      <h3>Form links</h3>
      <ErrorAlert error={errors.links} />
      {loading.links && (!mine || links.length === 0) && <Loading />}
      {!loading.links && mine && links.length === 0 && !errors.links && <p className="empty">No form link sent yet.</p>}
      {mine && links.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Text message</th></tr></thead>
            <tbody>
              {links.map((l) => (
                <tr key={l.id}>
                  <td>{formatDateTime(l.createdAt)}</td>
                  <td>{formatDateTime(l.expiresAt)}</td>
                  <td>{linkState(l)}</td>
                  <td>{smsState(l)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>Submissions</h3>
      {!readHistory && <p className="muted">Only dentists and admins can read the answers and signatures.</p>}
      {readHistory && (
        <>
          <ErrorAlert error={errors.submissions} />
          {loading.submissions && (!mine || submissions.length === 0) && <Loading />}
          {!loading.submissions && mine && submissions.length === 0 && !errors.submissions && <p className="empty">No form submitted yet.</p>}
          {mine && submissions.map((s) => (
            <article key={s.id} className="card" aria-label={`Submitted ${formatDateTime(s.submittedAt)}`}>
              <h4 style={{ margin: "0 0 0.5rem" }}>Submitted {formatDateTime(s.submittedAt)}</h4>
              <dl className="details">
                <dt>Date of birth</dt><dd>{formatDate(s.dateOfBirth)}</dd>
                {[...s.answers].sort((a, b) => a.order - b.order).map((a) => (
                  <div key={a.questionId} style={{ display: "contents" }}>
                    <dt>{a.question}</dt>
                    <dd style={{ whiteSpace: "pre-wrap" }}>{Array.isArray(a.answer) ? a.answer.join(", ") || "—" : a.answer || "—"}</dd>
                  </div>
                ))}
              </dl>
              <p className="hint" style={{ marginBottom: "0.25rem" }}>Signature</p>
              {/* eslint-disable-next-line @next/next/no-img-element -- a signed, expiring URL of the API */}
              <img className="signature" src={s.signatureUrl} alt={`Signature of ${patient.firstName} ${patient.lastName}`} />
            </article>
          ))}
        </>
      )}
    </section>
  );
}
