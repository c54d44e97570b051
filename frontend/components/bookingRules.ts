// The scheduling API's 409s in words a receptionist can act on.
import type { ApiError } from "../services/api";

const ruleWords: Record<string, string> = {
  dentist: "The dentist already has an appointment at that time.",
  chair: "That chair is already taken at that time.",
  patient: "The patient already has another appointment at that time.",
  capacity: "Every chair of the clinic is busy at that time.",
  clinicHours: "The clinic is closed at that time (outside its opening hours).",
  dentistHours: "The dentist does not work at that time.",
  closure: "The clinic is closed on that day.",
  timeOff: "The dentist is off on that day.",
};

/** What a refused booking or move means, in words; null when the error is not a booking conflict. */
export function explainConflict(error: ApiError | null | undefined): { headline: string; detail: string; conflictingAppointmentId?: string } | null {
  if (!error || error.status !== 409) return null;
  const rule = error.details.find((d) => d.field === "rule")?.message;
  const detail = error.details.find((d) => d.field === "time")?.message ?? error.message;
  const clash = error.details.find((d) => d.field === "conflictingAppointmentId")?.message;
  return {
    headline: (rule && ruleWords[rule]) ?? "That time is not free: it overlaps another appointment.",
    // The API names the clashing appointment by its id, which says nothing to a receptionist.
    detail: detail.replace(/; send allowOverlap: true.*$/, ".").replace(/ [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?= at )/i, ""),
    ...(clash ? { conflictingAppointmentId: clash } : {}),
  };
}
