"use client";

export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className="no-print mt-2 min-h-9 rounded-md border border-slate-300 px-3 text-sm hover:bg-slate-100" data-testid="print">
      {label}
    </button>
  );
}
