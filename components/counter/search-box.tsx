"use client";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { CustomerHit } from "@/lib/data/customers";

export type SearchLabels = {
  label: string; placeholder: string; hint: string; submit: string; none: string; more: string; exact: string; searching: string; failed: string;
  col: { customerNo: string; name: string; address: string; phone: string; paymentNo: string; status: string };
  status: Record<string, string>;
};

/**
 * The one search box, focused on load. Typing searches as you go (debounced); ↓/↑ move the
 * selection, Enter opens the selected customer (the first by default), so a payment is two keys
 * from a search: Enter here, Enter on the account's prefilled amount. Without JavaScript the form
 * submits ?q= and the server renders the same list.
 */
export function SearchBox({ labels, initialQuery, initialHits, initialMore, limit, initialError }: {
  labels: SearchLabels; initialQuery: string; initialHits: CustomerHit[]; initialMore: boolean; limit: number;
  initialError?: string; // the server refused the query (e.g. a control character in it)
}) {
  const router = useRouter();
  const [q, setQ] = useState(initialQuery);
  const [hits, setHits] = useState(initialHits);
  const [more, setMore] = useState(initialMore);
  const [sel, setSel] = useState(0);
  const [state, setState] = useState<"idle" | "busy" | "failed">(initialError ? "failed" : "idle");
  const [refused, setRefused] = useState<string | undefined>(initialError); // the server's reason for a 400
  const [searched, setSearched] = useState(initialQuery !== "");
  const input = useRef<HTMLInputElement>(null);
  const last = useRef(initialQuery);

  useEffect(() => {
    // keys typed before hydration are in the DOM but not in state: keep them
    if (input.current && input.current.value !== q) setQ(input.current.value);
    input.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const query = q.trim();
    if (query === last.current) return;
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      last.current = query;
      if (!query) {
        setHits([]); setMore(false); setSearched(false); setState("idle");
        return;
      }
      setState("busy");
      try {
        const r = await fetch(`/api/counter/search?q=${encodeURIComponent(query)}`, { signal: ctl.signal });
        if (r.status === 400) {
          setRefused(((await r.json().catch(() => ({}))) as { message?: string }).message);
          setHits([]); setMore(false); setSearched(false); setState("failed");
          return;
        }
        if (!r.ok) throw new Error(String(r.status));
        setRefused(undefined);
        const data = (await r.json()) as { hits: CustomerHit[]; more: boolean };
        setHits(data.hits); setMore(data.more); setSel(0); setSearched(true); setState("idle");
        window.history.replaceState(null, "", `/counter?q=${encodeURIComponent(query)}`);
      } catch (e) {
        if ((e as Error).name !== "AbortError") { setRefused(undefined); setState("failed"); }
      }
    }, 150);
    return () => { clearTimeout(timer); ctl.abort(); };
  }, [q]);

  function open(i: number) {
    const h = hits[i];
    if (h) router.push(`/counter/customers/${h.id}`);
  }

  return (
    <div>
      <form
        action="/counter"
        method="get"
        role="search"
        onSubmit={(e) => {
          // with results on screen, Enter opens the selected one; otherwise search on the server
          if (hits.length > 0 && q.trim() === last.current) { e.preventDefault(); open(sel); }
        }}
      >
        <label htmlFor="counter-search" className="mb-1.5 block text-sm font-medium text-slate-700">{labels.label}</label>
        <div className="flex gap-2">
          <input
            ref={input}
            id="counter-search"
            name="q"
            type="search"
            value={q}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder={labels.placeholder}
            aria-describedby="counter-search-hint"
            aria-controls="counter-results"
            data-testid="counter-search"
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") { e.preventDefault(); setSel((s) => Math.min(s + 1, hits.length - 1)); }
              if (e.key === "ArrowUp") { e.preventDefault(); setSel((s) => Math.max(s - 1, 0)); }
            }}
            className="block min-h-14 w-full rounded-md border border-slate-300 bg-white px-4 text-lg focus:outline-2 focus:outline-brand-600"
          />
          <button type="submit" className="min-h-14 whitespace-nowrap rounded-md bg-brand-600 px-6 text-lg font-medium text-white hover:bg-brand-700">{labels.submit}</button>
        </div>
        <p id="counter-search-hint" className="mt-1.5 text-sm text-slate-500">{labels.hint}</p>
      </form>

      <div className="mt-4" aria-live="polite">
        {state === "busy" && <p className="text-sm text-slate-500">{labels.searching}</p>}
        {state === "failed" && <p role="alert" className="text-sm text-red-700" data-testid="counter-search-error">{refused ?? labels.failed}</p>}
        {searched && hits.length === 0 && state === "idle" && <p className="text-slate-600" data-testid="counter-no-results">{labels.none}</p>}
        {more && <p className="mb-2 text-sm text-amber-800">{labels.more.replaceAll("{n}", String(limit))}</p>}
      </div>
      {hits.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table id="counter-results" className="min-w-full divide-y divide-slate-200 text-left" data-testid="counter-results">
            <thead className="bg-slate-50 text-sm text-slate-600">
              <tr>
                <th className="px-4 py-2">{labels.col.customerNo}</th>
                <th className="px-4 py-2">{labels.col.name}</th>
                <th className="px-4 py-2">{labels.col.address}</th>
                <th className="px-4 py-2">{labels.col.phone}</th>
                <th className="px-4 py-2">{labels.col.paymentNo}</th>
                <th className="px-4 py-2">{labels.col.status}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {hits.map((h, i) => (
                <tr
                  key={h.id}
                  aria-selected={i === sel}
                  data-testid="counter-hit"
                  className={i === sel ? "bg-brand-50" : "hover:bg-slate-50"}
                  onMouseEnter={() => setSel(i)}
                >
                  <td className="px-4 py-2 font-mono">
                    <a href={`/counter/customers/${h.id}`} className="text-brand-700 underline-offset-2 hover:underline" onClick={(e) => { e.preventDefault(); open(i); }}>
                      {h.customerNo}
                    </a>
                    {h.exact && <span className="ml-2 rounded bg-emerald-50 px-1.5 text-xs text-emerald-700">{labels.exact}</span>}
                  </td>
                  <td className="px-4 py-2">{h.name}</td>
                  <td className="px-4 py-2">{h.address}</td>
                  <td className="px-4 py-2 font-mono text-sm">{h.phoneMasked}</td>
                  <td className="px-4 py-2 font-mono text-sm">{h.paymentNo ?? ""}</td>
                  <td className="px-4 py-2 text-sm">{labels.status[h.status] ?? h.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
