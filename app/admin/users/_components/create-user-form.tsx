"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { createUserAction, type UserFormState } from "../actions";
import { FormStatus, fieldErrors } from "./form-status";

export type CreateUserLabels = {
  username: string;
  usernameHint: string;
  name: string;
  role: string;
  station: string;
  password: string;
  passwordHint: string;
  submit: string;
  submitting: string;
};

export function CreateUserForm({
  labels,
  roles,
  stations,
}: {
  labels: CreateUserLabels;
  roles: { value: string; label: string }[];
  stations: { id: number; name: string }[];
}) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(createUserAction, null);
  const v = state?.values ?? {};
  const err = (n: string) => fieldErrors(state, n);
  return (
    <form action={action} className="space-y-5" noValidate>
      <FormStatus state={state} />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label={labels.username} htmlFor="username" hint={labels.usernameHint} errors={err("username")} required>
          <Input id="username" name="username" defaultValue={v.username} autoComplete="off" autoCapitalize="none" spellCheck={false} invalid={!!err("username")} aria-describedby="username-error" autoFocus />
        </Field>
        <Field label={labels.name} htmlFor="name" errors={err("name")} required>
          <Input id="name" name="name" defaultValue={v.name} autoComplete="off" invalid={!!err("name")} aria-describedby="name-error" />
        </Field>
        <Field label={labels.role} htmlFor="role" errors={err("role")} required>
          <Select id="role" name="role" defaultValue={v.role || "CLERK"} invalid={!!err("role")}>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>{r.label}</option>
            ))}
          </Select>
        </Field>
        <Field label={labels.station} htmlFor="stationId" errors={err("stationId")} required>
          <Select id="stationId" name="stationId" defaultValue={v.stationId || String(stations[0]?.id ?? "")} invalid={!!err("stationId")}>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </Select>
        </Field>
        <Field label={labels.password} htmlFor="password" hint={labels.passwordHint} errors={err("password")} required>
          <Input id="password" name="password" type="password" autoComplete="new-password" invalid={!!err("password")} aria-describedby="password-error" />
        </Field>
      </div>
      <Button type="submit" disabled={pending} data-testid="create-user-submit">
        {pending ? labels.submitting : labels.submit}
      </Button>
    </form>
  );
}
