"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, TextField, fieldError } from "../../components/ui";
import { useSessionStore } from "../../store/sessionStore";

/** Only a path of this app may be the page to come back to. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/sign-in") ? next : "/calendar";
}

export function SignIn() {
  const { status, expired, error, signingIn, signIn, restore } = useSessionStore();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [email, setEmail] = useState("");
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
      </div>
    </main>
  );
}
