// Test data through the API itself (not the screens under test): an admin's token, patients,
// the questionnaire, medical-history links, users.
import { adminEmail, adminPassword, baseUrl } from "./harness.mjs";

let adminToken = null;

/** Calls the API as the admin (signing in once); returns the parsed body, throws on an error status. */
export async function api(method, path, body) {
  adminToken ??= (await call("POST", "/api/auth/login", { email: adminEmail, password: adminPassword })).accessToken;
  return call(method, path, body, adminToken);
}

async function call(method, path, body, token) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");

/** A patient with a random San Francisco number (drawn again if another test took it). */
export async function createPatient(lastName, fields = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api("POST", "/api/patients", { firstName: "Ana", lastName, mobileNumber: `+1 (415) 2${digits(2)}-${digits(4)}`, ...fields });
    } catch (e) {
      if (attempt === 2 || !String(e).includes("409")) throw e;
    }
  }
}

/** A new medical-history link of the patient: { token, url, expiresAt }. */
export const createFormLink = (patientId) => api("POST", `/api/patients/${patientId}/medical-history-link`, {});

/** Replaces the questionnaire; returns the questions in order. */
export const setQuestions = (questions) => api("PUT", "/api/medical-history/questions", questions.map((q, i) => ({ order: i + 1, required: false, ...q })));
