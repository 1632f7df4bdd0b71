"use client";
import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";

/** Print is focused: Enter prints. Esc goes back to the counter's search for the next customer. */
export function ReceiptActions({ labels }: { labels: { print: string; again: string } }) {
  const router = useRouter();
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === "Escape") router.push("/counter"); };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router]);
  return (
    <div className="no-print flex flex-wrap gap-2">
      <button ref={ref} type="button" autoFocus onClick={() => window.print()} data-testid="receipt-print"
        className="min-h-12 rounded-md bg-brand-600 px-6 text-lg font-semibold text-white hover:bg-brand-700">{labels.print}</button>
      <a href="/counter" data-testid="receipt-next" className="inline-flex min-h-12 items-center rounded-md border border-slate-300 bg-white px-4 hover:bg-slate-50">{labels.again}</a>
    </div>
  );
}
