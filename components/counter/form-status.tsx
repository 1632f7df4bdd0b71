"use client";
import type { CounterFormState } from "@/app/counter/actions";

/** The result line of a counter form: the catalog message of an error, or the success message. */
export function FormStatus({ state, testId }: { state: CounterFormState; testId?: string }) {
  if (!state || (state.status === "ok" && !state.message)) return null;
  const ok = state.status === "ok";
  return (
    <p role={ok ? "status" : "alert"} data-testid={testId} className={ok ? "rounded-md bg-emerald-50 px-3 py-2 text-emerald-800" : "rounded-md bg-red-50 px-3 py-2 text-red-800"}>
      {state.message}
    </p>
  );
}

export function fieldErrors(state: CounterFormState, name: string): string[] | undefined {
  return state && state.status === "invalid" ? state.fieldErrors[name] : undefined;
}
