"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { AccountFormState } from "../actions";

type Action = (prev: AccountFormState, fd: FormData) => Promise<AccountFormState>;

function Status({ state }: { state: AccountFormState }) {
  if (!state) return null;
  if (state.status === "ok") return state.message ? <Alert tone="success" data-testid="form-ok">{state.message}</Alert> : null;
  return <Alert tone="error" data-testid="form-error">{state.message}</Alert>;
}

const errorsOf = (state: AccountFormState, name: string) => (state?.status === "invalid" ? state.fieldErrors[name] : undefined);

export function ChangePasswordForm({
  action,
  labels,
}: {
  action: Action;
  labels: { current: string; next: string; nextHint: string; confirm: string; submit: string; saving: string };
}) {
  const [state, formAction, pending] = useActionState<AccountFormState, FormData>(action, null);
  return (
    <form action={formAction} className="max-w-md space-y-5" data-testid="own-password-form" noValidate>
      <Status state={state} />
      <Field label={labels.current} htmlFor="current" errors={errorsOf(state, "current")}>
        <Input id="current" name="current" type="password" autoComplete="current-password" invalid={!!errorsOf(state, "current")} />
      </Field>
      <Field label={labels.next} htmlFor="password" hint={labels.nextHint} errors={errorsOf(state, "password")}>
        <Input id="password" name="password" type="password" autoComplete="new-password" invalid={!!errorsOf(state, "password")} />
      </Field>
      <Field label={labels.confirm} htmlFor="confirm" errors={errorsOf(state, "confirm")}>
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" invalid={!!errorsOf(state, "confirm")} />
      </Field>
      <Button type="submit" disabled={pending}>{pending ? labels.saving : labels.submit}</Button>
    </form>
  );
}

/** A code from the authenticator; on success the action returns recovery codes, shown once. */
export function TotpCodeForm({
  action,
  testId,
  labels,
}: {
  action: Action;
  testId: string;
  labels: { code: string; submit: string; saving: string; codesTitle: string; codesIntro: string; codesDone: string };
}) {
  const [state, formAction, pending] = useActionState<AccountFormState, FormData>(action, null);
  const codes = state?.status === "ok" ? state.data?.recoveryCodes : undefined;
  if (codes) {
    return (
      <div className="space-y-4" data-testid="recovery-codes">
        <h2 className="text-lg font-semibold">{labels.codesTitle}</h2>
        <Alert tone="warning">{labels.codesIntro}</Alert>
        <ol className="grid max-w-md grid-cols-2 gap-2 font-mono text-lg">
          {codes.map((c) => <li key={c} data-testid="recovery-code">{c}</li>)}
        </ol>
        <Button type="button" className="no-print" onClick={() => window.location.assign("/")} data-testid="recovery-codes-done">
          {labels.codesDone}
        </Button>
      </div>
    );
  }
  return (
    <form action={formAction} className="max-w-xs space-y-4" data-testid={testId} noValidate>
      <Status state={state} />
      <Field label={labels.code} htmlFor={`${testId}-code`} errors={errorsOf(state, "code")}>
        <Input
          id={`${testId}-code`}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          className="font-mono text-lg tracking-widest"
          invalid={!!errorsOf(state, "code")}
        />
      </Field>
      <Button type="submit" disabled={pending}>{pending ? labels.saving : labels.submit}</Button>
    </form>
  );
}
