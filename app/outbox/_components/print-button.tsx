"use client";

/** The print page's buttons (not printed). */
export function PrintButton({ labels }: { labels: { print: string; back: string } }) {
  return (
    <div className="no-print flex flex-wrap gap-2">
      <button type="button" autoFocus onClick={() => window.print()} data-testid="print-now"
        className="min-h-12 rounded-md bg-brand-600 px-6 text-lg font-semibold text-white hover:bg-brand-700">{labels.print}</button>
      <a href="/outbox" className="inline-flex min-h-12 items-center rounded-md border border-slate-300 bg-white px-4 hover:bg-slate-50">{labels.back}</a>
    </div>
  );
}
