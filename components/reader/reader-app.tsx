// The reader's day on one page: the routes due, then a route's meters in walking order. Where
// he is (route and meter) lives in the URL hash so a reload, even offline, comes back to the
// same meter; what he entered lives in IndexedDB (offline-store.ts) until the server has it.
"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { ReaderWorkloadDTO, RouteSheetDTO, SheetMeterDTO } from "@/lib/data/readings";
import { makeClientT, type Messages } from "./messages";
import { MeterForm, type MeterSave } from "./meter-form";
import type { ReadingItemInput } from "@/lib/validation/reading";
import { loadSnapshot, newClientKey, saveSnapshot, slotOf, type Entry } from "./offline-store";
import { useQueue } from "./use-queue";
import { useServiceWorker } from "./sw-register";

type Place = { routeId: number | null; index: number };

function readHash(): Place {
  const h = new URLSearchParams(location.hash.slice(1));
  const r = Number(h.get("r"));
  return { routeId: Number.isInteger(r) && r > 0 ? r : null, index: Math.max(0, Number(h.get("m")) || 0) };
}

function writeHash(p: Place) {
  const h = p.routeId ? `#r=${p.routeId}&m=${p.index}` : "";
  history.replaceState(null, "", location.pathname + location.search + h);
}

type MeterState = { label: string; tone: "done" | "queued" | "missed" | "rejected" | "todo"; message?: string; finished: boolean };

export function ReaderApp({ initial, messages }: { initial: ReaderWorkloadDTO; messages: Messages }) {
  const t = useMemo(() => makeClientT(messages), [messages]);
  const [work, setWork] = useState(initial);
  const [place, setPlace] = useState<Place>({ routeId: null, index: 0 });
  const queue = useQueue();
  const swReady = useServiceWorker();

  // keep the newest copy of the day's data on the tablet; if the page came from an older
  // cache, the newer copy wins
  useEffect(() => {
    setPlace(readHash());
    void (async () => {
      const snap = await loadSnapshot<ReaderWorkloadDTO>("workload");
      if (snap && snap.data.generatedAt > initial.generatedAt) setWork(snap.data);
      else await saveSnapshot("workload", initial);
    })();
  }, [initial]);

  const go = useCallback((p: Place) => {
    setPlace(p);
    writeHash(p);
    window.scrollTo({ top: 0 });
  }, []);

  const bySlot = useMemo(() => new Map(queue.entries.map((e) => [e.slot, e])), [queue.entries]);

  const stateOf = useCallback((m: SheetMeterDTO, period: string): MeterState => {
    const e = bySlot.get(slotOf(m.installationId, period));
    if (e?.status === "pending") return { label: t("reader.stateQueued"), tone: "queued", finished: true };
    if (e?.status === "rejected") return { label: t("reader.stateRejected"), tone: "rejected", message: t("reader.rejected", { message: e.message ?? "" }), finished: false };
    if (e?.status === "stored") {
      return e.item.value === null
        ? { label: t("reader.stateMissed"), tone: "missed", finished: true }
        : { label: t("reader.done", { value: e.item.value }), tone: "done", finished: true };
    }
    if (m.existing?.value) return { label: t("reader.done", { value: m.existing.value }), tone: "done", finished: true };
    if (m.existing) return { label: t("reader.stateMissed"), tone: "missed", finished: true };
    return { label: t("reader.stateTodo"), tone: "todo", finished: false };
  }, [bySlot, t]);

  const sheet = work.sheets.find((s) => s.route.id === place.routeId) ?? null;

  const save = useCallback(async (s: RouteSheetDTO, m: SheetMeterDTO, v: MeterSave) => {
    const clientKey = newClientKey();
    const entry: Entry = {
      slot: slotOf(m.installationId, s.period),
      clientKey,
      status: "pending",
      savedAt: new Date().toISOString(),
      item: {
        clientKey, installationId: m.installationId, period: s.period, value: v.value, peak: v.peak, valley: v.valley,
        readAt: new Date().toISOString(), reasonCode: v.reasonCode as ReadingItemInput["reasonCode"], missedReason: v.missedReason,
        observations: v.observations, photo: v.photo,
      },
    };
    await queue.save(entry);
    // walk on: the next meter in order that is not finished yet
    const idx = s.meters.indexOf(m);
    const next = s.meters.findIndex((x, i) => i > idx && !stateOf(x, s.period).finished && x !== m);
    go({ routeId: s.route.id, index: next >= 0 ? next : Math.min(idx + 1, s.meters.length - 1) });
  }, [queue, stateOf, go]);

  return (
    <div className="mx-auto max-w-6xl">
      <StatusBar t={t} online={queue.online} pending={queue.pending} syncing={queue.syncing} swReady={swReady}
        authLost={queue.authLost} onSync={() => void queue.sync()} />
      {sheet ? (
        <RouteView sheet={sheet} index={Math.min(place.index, Math.max(0, sheet.meters.length - 1))} t={t}
          stateOf={(m) => stateOf(m, sheet.period)} onGo={(i) => go({ routeId: sheet.route.id, index: i })}
          onBack={() => go({ routeId: null, index: 0 })} onSave={(m, v) => save(sheet, m, v)} />
      ) : (
        <RouteList work={work} t={t} stateOf={stateOf} onOpen={(s) => {
          const first = s.meters.findIndex((m) => !stateOf(m, s.period).finished);
          go({ routeId: s.route.id, index: first >= 0 ? first : 0 });
        }} />
      )}
    </div>
  );
}

function StatusBar({ t, online, pending, syncing, swReady, authLost, onSync }: {
  t: ReturnType<typeof makeClientT>; online: boolean; pending: number; syncing: boolean; swReady: boolean; authLost: boolean; onSync: () => void;
}) {
  return (
    <div className="sticky top-0 z-10 -mx-4 mb-4 border-b border-slate-200 bg-white/95 px-4 py-3 backdrop-blur">
      <div className="flex flex-wrap items-center gap-3">
        <span data-testid="net-status" data-online={online} className={cn("rounded-full px-3 py-1 text-base font-medium",
          online ? "bg-emerald-100 text-emerald-800" : "bg-amber-200 text-amber-950")}>
          {online ? t("reader.online") : t("reader.offline")}
        </span>
        <span data-testid="pending-count" data-count={pending} className={cn("text-lg font-semibold tabular", pending ? "text-amber-800" : "text-slate-600")}>
          {syncing ? t("reader.syncing") : pending ? t("reader.pending", { n: pending }) : t("reader.pendingNone")}
        </span>
        {pending > 0 && online && <Button size="md" variant="secondary" onClick={onSync}>{t("reader.syncNow")}</Button>}
        <span data-testid="sw-ready" data-ready={swReady} className="ml-auto text-sm text-slate-400">{swReady ? t("reader.offlineReady") : ""}</span>
      </div>
      {authLost && <p role="alert" className="mt-2 text-base text-red-700">{t("reader.loginAgain")}</p>}
    </div>
  );
}

function RouteList({ work, t, stateOf, onOpen }: {
  work: ReaderWorkloadDTO; t: ReturnType<typeof makeClientT>;
  stateOf: (m: SheetMeterDTO, period: string) => MeterState; onOpen: (s: RouteSheetDTO) => void;
}) {
  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="mb-1 text-2xl font-semibold">{t("reader.title")}</h1>
        <a href="/reader/replace" className="text-base text-brand-700 underline">{t("reader.replace")}</a>
      </div>
      <p className="mb-4 text-lg text-slate-600">{t("reader.today", { date: work.today })}</p>
      {work.sheets.length === 0 && (
        <div className="rounded-lg bg-slate-50 p-6 text-lg text-slate-600">
          <p>{t("reader.noRoutes")}</p>
          {/* a snapshot saved offline by an older version has no `upcoming` */}
          {(work.upcoming ?? []).length > 0 && (
            <>
              <p className="mt-3 font-medium text-slate-800">{t("reader.upcoming")}</p>
              <ul className="mt-1 space-y-1" data-testid="upcoming-routes">
                {work.upcoming.map((u) => <li key={u.code}>{t("reader.upcomingRoute", { date: u.scheduledOn, code: u.code, name: u.name })}</li>)}
              </ul>
            </>
          )}
        </div>
      )}
      <ul className="grid gap-4 lg:grid-cols-2">
        {work.sheets.map((s) => {
          const summary = work.routes.find((r) => r.id === s.route.id && r.period === s.period);
          const done = s.meters.filter((m) => stateOf(m, s.period).finished).length;
          return (
            <li key={`${s.route.id}:${s.period}`} data-testid="route-card" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <div className="flex flex-wrap items-center gap-2">
                <h2 className="text-xl font-semibold">{t("reader.route", { code: s.route.code, name: s.route.name })}</h2>
                {summary?.overdue && <span className="rounded-full bg-red-100 px-3 py-0.5 text-base text-red-800">{t("reader.overdue")}</span>}
              </div>
              <p className="mt-1 text-lg text-slate-600">{t("reader.period", { period: s.period })} · {t("reader.scheduled", { date: s.scheduledOn })}</p>
              <div className="mt-3 h-3 overflow-hidden rounded-full bg-slate-100">
                <div className="h-full bg-brand-600" style={{ width: `${s.meters.length ? (done / s.meters.length) * 100 : 0}%` }} />
              </div>
              <div className="mt-3 flex items-center justify-between gap-3">
                <span data-testid="route-progress" className="text-lg tabular">{t("reader.progress", { done, meters: s.meters.length })}</span>
                <Button size="lg" onClick={() => onOpen(s)}>{t("reader.open")}</Button>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function RouteView({ sheet, index, t, stateOf, onGo, onBack, onSave }: {
  sheet: RouteSheetDTO; index: number; t: ReturnType<typeof makeClientT>;
  stateOf: (m: SheetMeterDTO) => MeterState; onGo: (i: number) => void; onBack: () => void;
  onSave: (m: SheetMeterDTO, v: MeterSave) => Promise<void>;
}) {
  const meter = sheet.meters[index];
  const done = sheet.meters.filter((m) => stateOf(m).finished).length;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={onBack}>← {t("reader.back")}</Button>
        <h1 className="text-xl font-semibold">{t("reader.route", { code: sheet.route.code, name: sheet.route.name })}</h1>
        <span data-testid="route-progress" className="ml-auto text-lg tabular text-slate-700">{t("reader.progress", { done, meters: sheet.meters.length })}</span>
        {meter && (
          <div className="flex basis-full items-center justify-between gap-3 lg:basis-auto">
            <Button variant="secondary" size="lg" disabled={index === 0} onClick={() => onGo(index - 1)}>{t("reader.prev")}</Button>
            <span className="text-lg tabular text-slate-700">{t("reader.seq", { n: index + 1 })} {t("reader.of", { n: sheet.meters.length })}</span>
            <Button variant="secondary" size="lg" disabled={index >= sheet.meters.length - 1} onClick={() => onGo(index + 1)}>{t("reader.next")}</Button>
          </div>
        )}
      </div>
      {done === sheet.meters.length && <p data-testid="route-done" className="mb-4 rounded-lg bg-emerald-50 p-4 text-lg text-emerald-800">{t("reader.allDone")}</p>}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
        <div>
          {meter && <MeterForm meter={meter} settings={sheet.settings} t={t} state={stateOf(meter)} onSave={(v) => onSave(meter, v)} />}
        </div>
        <nav aria-label={t("reader.list")} className="rounded-xl border border-slate-200 bg-white">
          <h2 className="border-b border-slate-100 px-4 py-3 text-base font-semibold text-slate-700">{t("reader.list")}</h2>
          <ol className="max-h-[60vh] divide-y divide-slate-100 overflow-y-auto lg:max-h-[calc(100vh-12rem)]">
            {sheet.meters.map((m, i) => {
              const s = stateOf(m);
              return (
                <li key={m.installationId}>
                  <button type="button" onClick={() => onGo(i)} aria-current={i === index || undefined}
                    className={cn("flex min-h-12 w-full items-center gap-3 px-4 py-2 text-left text-base", i === index ? "bg-brand-50" : "hover:bg-slate-50")}>
                    <span className="w-8 tabular text-slate-500">{i + 1}</span>
                    <span className="grow truncate">{m.name}</span>
                    <span className={cn("shrink-0 text-sm", s.tone === "done" ? "text-emerald-700" : s.tone === "queued" ? "text-amber-700" : s.tone === "rejected" ? "text-red-700" : "text-slate-500")}>
                      {s.tone === "done" ? t("reader.stateDone") : s.label}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>
      </div>
    </div>
  );
}
