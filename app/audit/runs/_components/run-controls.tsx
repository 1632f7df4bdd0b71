"use client";
import { useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { releaseRunAction, rerunAction, stopRunAction, type RunFormState } from "../actions";

type Progress = { status: string; total: number; done: number; billed: number; held: number };

/** Live progress of a run: polls the route handler every second while the run is active. */
export function RunProgress({ runId, initial, labels }: {
  runId: number; initial: Progress; labels: { progress: string; statuses: Record<string, string> };
}) {
  const [p, setP] = useState(initial);
  const router = useRouter();
  const active = ["QUEUED", "RUNNING", "CANCELLING"].includes(p.status);
  useEffect(() => {
    if (!active) return;
    let stop = false;
    const tick = async () => {
      try {
        const r = await fetch(`/api/billing/runs/${runId}`, { cache: "no-store" });
        if (r.ok) {
          const next = (await r.json()) as Progress;
          if (!stop) {
            setP(next);
            if (!["QUEUED", "RUNNING", "CANCELLING"].includes(next.status)) router.refresh();
          }
        }
      } catch {
        // offline for a moment: try again on the next tick
      }
    };
    const t = setInterval(tick, 1000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [active, runId, router]);
  const pct = p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : p.status === "COMPLETED" ? 100 : 0;
  return (
    <div className="min-w-48 space-y-1" data-testid={`run-progress-${runId}`} data-status={p.status}>
      <div className="flex justify-between text-sm">
        <span>{labels.statuses[p.status] ?? p.status}</span>
        <span data-testid="run-counts">{labels.progress.replace("{done}", String(p.done)).replace("{total}", String(p.total))}</span>
      </div>
      <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-3 overflow-hidden rounded bg-slate-200">
        <div className={`h-full ${p.status === "FAILED" ? "bg-red-500" : "bg-brand-600"} transition-all`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function ActionButton({ action, runId, label, variant, testId, confirm, disabled }: {
  action: (p: RunFormState, fd: FormData) => Promise<RunFormState>; runId: number; label: string;
  variant: "primary" | "secondary" | "danger"; testId: string; confirm?: string; disabled?: boolean;
}) {
  const [state, formAction, pending] = useActionState<RunFormState, FormData>(action, null);
  return (
    <form action={formAction} onSubmit={(e) => { if (confirm && !window.confirm(confirm)) e.preventDefault(); }} className="inline-block">
      <input type="hidden" name="runId" value={runId} />
      <Button type="submit" size="sm" variant={variant} disabled={pending || disabled} data-testid={testId}>{label}</Button>
      {state && state.status !== "ok" && <Alert tone="error" className="mt-2 text-sm">{state.message}</Alert>}
      {state?.status === "ok" && state.message && <Alert tone="success" className="mt-2 text-sm" data-testid="run-action-ok">{state.message}</Alert>}
    </form>
  );
}

export function RunActions({ runId, status, releasable, labels }: {
  runId: number; status: string; releasable: number;
  labels: { stop: string; rerun: string; release: string; confirmRelease: string };
}) {
  return (
    <div className="flex flex-wrap gap-2">
      {(status === "RUNNING" || status === "QUEUED") && (
        <ActionButton action={stopRunAction} runId={runId} label={labels.stop} variant="danger" testId={`stop-${runId}`} />
      )}
      {["COMPLETED", "CANCELLED", "FAILED"].includes(status) && (
        <ActionButton action={rerunAction} runId={runId} label={labels.rerun} variant="secondary" testId={`rerun-${runId}`} />
      )}
      {status === "COMPLETED" && (
        // stays on screen (disabled at 0) so the result of a release remains visible
        <ActionButton action={releaseRunAction} runId={runId} label={labels.release.replace("{n}", String(releasable))}
          variant="primary" testId={`release-${runId}`} confirm={labels.confirmRelease.replace("{n}", String(releasable))}
          disabled={releasable === 0} />
      )}
    </div>
  );
}
