"use client";
import { useState, type FormEvent } from "react";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export type LoginMessages = {
  username: string;
  password: string;
  submit: string;
  submitting: string;
  errors: Record<string, string>;
};

/** Credentials form: next-auth's signIn (CSRF handled), then a full load of "/", which sends the
 *  user to the role's home with a fresh header. Error codes come from lib/auth/login.ts. */
export function LoginForm({ messages, notice, initialError }: { messages: LoginMessages; notice: string | null; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const username = String(fd.get("username") ?? "").trim();
    const password = String(fd.get("password") ?? "");
    if (!username || !password) {
      setError(messages.errors.MISSING);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await signIn("credentials", { username, password, redirect: false });
      if (r?.ok && !r.error) {
        window.location.assign("/");
        return;
      }
      setError(messages.errors[r?.error ?? ""] ?? messages.errors.GENERIC);
    } catch {
      setError(messages.errors.GENERIC);
    }
    setBusy(false);
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-5" noValidate>
      {notice && !error && <Alert tone="warning" data-testid="login-notice">{notice}</Alert>}
      {error && <Alert tone="error" data-testid="login-error">{error}</Alert>}
      <Field label={messages.username} htmlFor="username">
        <Input id="username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus required />
      </Field>
      <Field label={messages.password} htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" size="lg" className="w-full" disabled={busy} data-testid="login-submit">
        {busy ? messages.submitting : messages.submit}
      </Button>
    </form>
  );
}
