import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * A labelled form field with an optional hint and its errors (from an action's fieldErrors).
 * The control is passed as children and must carry id={htmlFor}; the error text gets an id the
 * control can point to with aria-describedby (`${htmlFor}-error`).
 */
export function Field({
  label,
  htmlFor,
  hint,
  errors,
  required,
  className,
  children,
}: {
  label: ReactNode;
  htmlFor: string;
  hint?: ReactNode;
  errors?: readonly string[];
  required?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">
        {label}
        {required && <span className="ml-0.5 text-red-600" aria-hidden>*</span>}
      </label>
      {children}
      {hint && !errors?.length && <p className="text-sm text-slate-500">{hint}</p>}
      {errors?.length ? (
        <p id={`${htmlFor}-error`} role="alert" className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
