import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

const control =
  "block w-full rounded-md border bg-white px-3 text-base text-slate-900 placeholder:text-slate-400 " +
  "focus:outline-2 focus:outline-offset-0 focus:outline-brand-600 disabled:bg-slate-100 disabled:text-slate-500";

function border(invalid?: boolean) {
  return invalid ? "border-red-500" : "border-slate-300";
}

type Invalid = { invalid?: boolean };

export function Input({ className, invalid, ...props }: InputHTMLAttributes<HTMLInputElement> & Invalid) {
  return <input aria-invalid={invalid || undefined} className={cn(control, "min-h-11", border(invalid), className)} {...props} />;
}

export function Select({ className, invalid, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & Invalid) {
  return (
    <select aria-invalid={invalid || undefined} className={cn(control, "min-h-11 pr-8", border(invalid), className)} {...props}>
      {children}
    </select>
  );
}

export function Textarea({ className, invalid, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & Invalid) {
  return <textarea aria-invalid={invalid || undefined} className={cn(control, "py-2", border(invalid), className)} {...props} />;
}
