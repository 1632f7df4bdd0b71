"use client";
import { useState, type FormEvent } from "react";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { loginErrorMessage } from "./error-message";

export type LoginMessages = {
  username: string;
  password: string;
  submit: string;
  submitting: string;
  code: string;
  codeHint: string;
  codeIntro: string;
  codeSubmit: string;
  back: string;
  errors: Record<string, string>;
};

/** Credentials form: next-auth's signIn (CSRF handled), then a full load of "/", which sends the
 *  user to the role's home (or to the step they must take first) with a fresh header. A manager
 *  or administrator with a second factor is asked for the code after the password (the server
 *  answers MFA_REQUIRED): both go together in the second request, nothing is signed in before.
 *  Error codes come from lib/auth/login.ts. */
export function LoginForm({ messages, notice, initialError }: { messages: LoginMessages; notice: string | null; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<{ username: string; password: string } | null>(null);

  async function attempt(username: string, password: string, code?: string) {
    setBusy(true);
    setError(null);
    try {
      const r = await signIn("credentials", { username, password, ...(code ? { code } : {}), redirect: false });
      if (r?.ok && !r.error) {
        window.location.assign("/");
        return;
      }
      if (r?.error === "MFA_REQUIRED") setStep({ username, password });
      else setError(loginErrorMessage(messages.errors, r?.error));
    } catch {
      setError(messages.errors.GENERIC);
    }
    setBusy(false);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    if (step) {
      const code = String(fd.get("code") ?? "").trim();
      if (!code) return setError(messages.errors.MFA_MISSING);
      return attempt(step.username, step.password, code);
    }
    const username = String(fd.get("username") ?? "").trim();
    const password = String(fd.get("password") ?? "");
    if (!username || !password) return setError(messages.errors.MISSING);
    return attempt(username, password);
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-5" noValidate>
      {notice && !error && <Alert tone="warning" data-testid="login-notice">{notice}</Alert>}
      {error && <Alert tone="error" data-testid="login-error">{error}</Alert>}
      {/* keys: React must not reuse the password box for the code (it would keep its value) */}
      {step ? (
        <div key="code-step" className="space-y-5">
          <p className="text-base text-slate-700" data-testid="login-code-intro">{messages.codeIntro.replace("{username}", step.username)}</p>
          <Field label={messages.code} htmlFor="code" hint={messages.codeHint}>
            <Input
              id="code"
              name="code"
              inputMode="text"
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              required
              className="font-mono text-lg tracking-widest"
            />
          </Field>
          <Button type="submit" size="lg" className="w-full" disabled={busy} data-testid="login-submit">
            {busy ? messages.submitting : messages.codeSubmit}
          </Button>
          <button
            type="button"
            className="w-full text-sm text-slate-600 underline"
            onClick={() => {
              setStep(null);
              setError(null);
            }}
          >
            {messages.back}
          </button>
        </div>
      ) : (
        <div key="password-step" className="space-y-5">
          <Field label={messages.username} htmlFor="username">
            <Input id="username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus required />
          </Field>
          <Field label={messages.password} htmlFor="password">
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </Field>
          <Button type="submit" size="lg" className="w-full" disabled={busy} data-testid="login-submit">
            {busy ? messages.submitting : messages.submit}
          </Button>
        </div>
      )}
    </form>
  );
}
