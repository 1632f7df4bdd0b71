import { Alert } from "@/components/ui/alert";
import type { UserFormState } from "../actions";

/** The outcome of the last submit: a success message, or the error / invalid-input message. */
export function FormStatus({ state }: { state: UserFormState }) {
  if (!state) return null;
  if (state.status === "ok") return state.message ? <Alert tone="success" data-testid="form-ok">{state.message}</Alert> : null;
  return <Alert tone="error" data-testid="form-error">{state.message}</Alert>;
}

export function fieldErrors(state: UserFormState, name: string): string[] | undefined {
  return state?.status === "invalid" ? state.fieldErrors[name] : undefined;
}
