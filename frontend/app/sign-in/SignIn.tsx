"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, TextField, fieldError } from "../../components/ui";
import { usePasswordResetStore } from "../../store/passwordResetStore";
import { useSessionStore } from "../../store/sessionStore";

/** Only a path of this app may be the page to come back to. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/sign-in") ? next : "/calendar";
}

export function SignIn() {
  const { status, expired, error, signingIn, signIn, restore } = useSessionStore();
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [email, setEmail] = useState("");
  const [forgotten, setForgotten] = useState(params.get("forgot") === "1");
  const [password, setPassword] = useState("");

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => {
    if (status === "signed-in") router.replace(next);
  }, [status, next, router]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await signIn(email, password);
  };

  return (
    <main id="main" className="center-page">
      <div className="card">
        <h1>Sign in to DentalClinic</h1>
        {expired && !error && <p className="alert warn" role="status">Your session has ended. Please sign in again.</p>}
        <ErrorAlert error={error} shownFields={["email", "password"]} />
        <form onSubmit={submit} noValidate>
          <TextField label="Email" type="email" name="email" autoComplete="username" required value={email}
            onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
          <TextField label="Password" type="password" name="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)} error={fieldError(error, "password")} />
          <button type="submit" disabled={signingIn}>{signingIn ? "Signing in…" : "Sign in"}</button>
        </form>
        {forgotten ? <ForgotPassword initialEmail={email} /> : (
          <p style={{ marginBottom: 0 }}>
            <button type="button" className="link" onClick={() => setForgotten(true)}>Forgot password?</button>
          </p>
        )}
      </div>
    </main>
  );
}

/** Asks for an e-mailed link to choose a new password; the API answers the same for any address. */
function ForgotPassword({ initialEmail }: { initialEmail: string }) {
  const { forgot, requested, loading, errors } = usePasswordResetStore();
  const [email, setEmail] = useState(initialEmail);
  const error = errors.forgot;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await forgot(email);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="forgot-title" className="forgot">
      <h2 id="forgot-title">Get a link by e-mail</h2>
      <p className="hint">We e-mail you a link to choose a new one. It works once, for 30 minutes.</p>
      <ErrorAlert error={error} shownFields={["email"]} />
      {requested && <p className="alert ok" role="status">{requested}</p>}
      <TextField label="Your email" type="email" name="forgot-email" autoComplete="username" value={email}
        onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
      <button type="submit" className="secondary" disabled={loading.forgot}>{loading.forgot ? "Sending…" : "E-mail me a link"}</button>
    </form>
  );
}
