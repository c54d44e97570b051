"use client";
// The page of the e-mailed link (/reset-password?token=…): choose a new password, without signing in.
// A used, expired or unknown link is the API's message on `token`, with the way to a new link.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert, TextField, fieldError } from "../../components/ui";
import { usePasswordResetStore } from "../../store/passwordResetStore";

export function ResetPassword() {
  const token = useSearchParams().get("token") ?? "";
  const { reset, done, loading, errors } = usePasswordResetStore();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const error = errors.reset;
  const tokenError = fieldError(error, "token");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    await reset(token, password);
  };

  return (
    <main id="main" className="center-page">
      <div className="card">
        <h1>Choose a new password</h1>
        {done ? (
          <>
            <p className="alert ok" role="status">Your password is changed, and every session you had has ended.</p>
            <Link className="button" href="/sign-in">Sign in with it</Link>
          </>
        ) : !token ? (
          <>
            <p className="alert error" role="alert">This page opens from the link in the e-mail about choosing a new password.</p>
            <Link href="/sign-in?forgot=1">Ask for a link</Link>
          </>
        ) : (
          <>
            {tokenError && (
              <div className="alert error" role="alert">
                <p style={{ margin: 0 }}>{tokenError}</p>
                <p style={{ margin: "0.4rem 0 0" }}><Link href="/sign-in?forgot=1">Ask for a new link</Link></p>
              </div>
            )}
            {!tokenError && <ErrorAlert error={error} shownFields={["token", "newPassword"]} />}
            <form onSubmit={submit} noValidate>
              <TextField label="New password" type="password" name="new-password" autoComplete="new-password" required value={password}
                onChange={(e) => setPassword(e.target.value)} error={fieldError(error, "newPassword")}
                hint="At least 10 characters, mixing letters, digits or symbols." />
              <TextField label="The same again" type="password" name="repeat-password" autoComplete="new-password" required value={repeat}
                onChange={(e) => setRepeat(e.target.value)} error={mismatch ? "The two passwords differ" : undefined} />
              <button type="submit" disabled={loading.reset}>{loading.reset ? "Saving…" : "Set the new password"}</button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
