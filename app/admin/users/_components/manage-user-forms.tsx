"use client";
import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { changeRoleAction, resetPasswordAction, resetTwoFactorAction, setActiveAction, type UserFormState } from "../actions";
import { FormStatus, fieldErrors } from "./form-status";

export function RoleForm({
  userId,
  role,
  roles,
  labels,
  disabled,
}: {
  userId: number;
  role: string;
  roles: { value: string; label: string }[];
  labels: { role: string; submit: string; saving: string };
  disabled?: boolean;
}) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(changeRoleAction, null);
  // controlled: the form reset after the action must not jump back to the role the page had
  // when it first loaded; follow the saved role when the page re-renders
  const [value, setValue] = useState(role);
  useEffect(() => setValue(role), [role]);
  return (
    <form action={action} className="space-y-4" data-testid="role-form">
      <FormStatus state={state} />
      <input type="hidden" name="userId" value={userId} />
      <Field label={labels.role} htmlFor="role" errors={fieldErrors(state, "role")}>
        <Select id="role" name="role" value={value} onChange={(e) => setValue(e.target.value)} disabled={disabled}>
          {roles.map((r) => (
            <option key={r.value} value={r.value}>{r.label}</option>
          ))}
        </Select>
      </Field>
      <Button type="submit" variant="secondary" disabled={pending || disabled}>
        {pending ? labels.saving : labels.submit}
      </Button>
    </form>
  );
}

export function PasswordForm({
  userId,
  labels,
}: {
  userId: number;
  labels: { password: string; hint: string; submit: string; saving: string };
}) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(resetPasswordAction, null);
  return (
    <form action={action} className="space-y-4" data-testid="password-form" noValidate>
      <FormStatus state={state} />
      <input type="hidden" name="userId" value={userId} />
      <Field label={labels.password} htmlFor="new-password" hint={labels.hint} errors={fieldErrors(state, "password")}>
        <Input id="new-password" name="password" type="password" autoComplete="new-password" invalid={!!fieldErrors(state, "password")} />
      </Field>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? labels.saving : labels.submit}
      </Button>
    </form>
  );
}

export function ActiveForm({
  userId,
  active,
  labels,
  disabled,
}: {
  userId: number;
  active: boolean;
  labels: { deactivate: string; reactivate: string; saving: string };
  disabled?: boolean;
}) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(setActiveAction, null);
  return (
    <form action={action} className="space-y-4" data-testid="active-form">
      <FormStatus state={state} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <Button type="submit" variant={active ? "danger" : "primary"} disabled={pending || disabled}>
        {pending ? labels.saving : active ? labels.deactivate : labels.reactivate}
      </Button>
    </form>
  );
}

export function TwoFactorForm({ userId, labels, disabled }: { userId: number; labels: { submit: string; saving: string }; disabled?: boolean }) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(resetTwoFactorAction, null);
  return (
    <form action={action} className="space-y-4" data-testid="two-factor-form">
      <FormStatus state={state} />
      <input type="hidden" name="userId" value={userId} />
      <Button type="submit" variant="secondary" disabled={pending || disabled}>
        {pending ? labels.saving : labels.submit}
      </Button>
    </form>
  );
}
