// One meter at the reader's feet: who and where, the last reading and the usual range, a big
// numeric input, what he sees, an optional photo. The plausibility rule (the same pure function
// the server runs again) is checked before he walks on: unusual → confirm with a reason;
// probably wrong → read the meter again and enter it twice.
"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { SheetMeterDTO } from "@/lib/data/readings";
import type { Settings } from "@/lib/domain/settings";
import {
  CONFIRM_REASONS, REREAD_CONFIRMED, checkPlausibility, type ConfirmReason, type PlausibilityResult,
} from "@/lib/domain/readings/plausibility";
import { MISSED_REASONS, type MissedReason } from "@/lib/domain/readings/estimates";
import { isRegister, parseRegister } from "@/lib/domain/readings/register";
import { normalizeNumeric } from "@/lib/validation/input";
import { OBSERVATIONS, type Observation } from "@/lib/validation/reading";
import type { ClientT } from "./messages";
import { photoToDataUrl } from "./photo";
import { decideMissedOnTablet } from "@/app/reader/actions";

export type MeterSave = {
  value: string | null;
  peak: string | null;
  valley: string | null;
  reasonCode: string | null;
  missedReason: MissedReason | null;
  observations: Observation[];
  photo: string | null;
};

type Panel = { kind: "none" } | { kind: "check"; first: string; result: PlausibilityResult } | { kind: "missed" };

const OBS_FROM_CONFIRM: Partial<Record<ConfirmReason, Observation>> = {
  VACANT: "VACANT", USAGE_CHANGED: "USAGE_CHANGED", METER_FAULT: "METER_FAULT",
};

export function MeterForm({
  meter, settings, t, state, onSave,
}: {
  meter: SheetMeterDTO;
  settings: Settings["readings"];
  t: ClientT;
  state: { label: string; tone: "done" | "queued" | "missed" | "rejected" | "todo"; message?: string };
  onSave: (s: MeterSave) => Promise<void>;
}) {
  const [value, setValue] = useState("");
  const [peak, setPeak] = useState("");
  const [valley, setValley] = useState("");
  const [second, setSecond] = useState("");
  const [obs, setObs] = useState<Observation[]>([]);
  const [photo, setPhoto] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>({ kind: "none" });
  const [saving, setSaving] = useState(false);
  const [decision, setDecision] = useState<{ ok: boolean; text: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const tou = meter.registers.includes("PEAK");

  useEffect(() => {
    setValue(""); setPeak(""); setValley(""); setSecond(""); setObs([]); setPhoto(null); setError(null);
    setPanel({ kind: "none" });
    setDecision(null);
    input.current?.focus();
  }, [meter.installationId]);

  const toggle = (o: Observation) => setObs((cur) => (cur.includes(o) ? cur.filter((x) => x !== o) : [...cur, o]));

  async function save(v: string | null, reasonCode: string | null, missed: MissedReason | null, extraObs: Observation[] = []) {
    setSaving(true);
    try {
      await onSave({
        value: v, peak: tou && v !== null && normalizeNumeric(peak) ? normalizeNumeric(peak) : null, valley: tou && v !== null && normalizeNumeric(valley) ? normalizeNumeric(valley) : null,
        reasonCode, missedReason: missed, observations: [...new Set([...obs, ...extraObs])], photo,
      });
      // the last meter of a route stays on screen: clear it for a possible correction
      setValue(""); setPeak(""); setValley(""); setSecond(""); setObs([]); setPhoto(null); setError(null);
      setPanel({ kind: "none" });
    } finally {
      setSaving(false);
    }
  }

  function check(v: string): PlausibilityResult {
    return checkPlausibility({
      value: parseRegister(v),
      previous: meter.previous ? { value: parseRegister(meter.previous.value), kind: meter.previous.kind } : null,
      digits: meter.digits, multiplier: meter.multiplier, historyKwh: meter.historyKwh,
      periodsSpanned: meter.periodsSpanned, settings,
    });
  }

  async function submit(v0: string) {
    // full-width digits from a Chinese IME read as digits, as on the server (lib/validation/input.ts)
    const [v, p, vl] = [normalizeNumeric(v0), normalizeNumeric(peak), normalizeNumeric(valley)];
    if (!isRegister(v) || (tou && ((p && !isRegister(p)) || (vl && !isRegister(vl))))) {
      setError(t("reader.invalidValue"));
      input.current?.focus();
      return;
    }
    setError(null);
    const r = check(v);
    if (r.decision === "ok") return save(v, null, null);
    setSecond("");
    setPanel({ kind: "check", first: v, result: r });
  }

  async function reread() {
    if (panel.kind !== "check") return;
    const v = normalizeNumeric(second);
    if (!isRegister(v)) return setError(t("reader.invalidValue"));
    if (v === panel.first || (isRegister(panel.first) && parseRegister(v) === parseRegister(panel.first))) {
      return save(panel.first, REREAD_CONFIRMED, null);
    }
    // a different value: that one is checked afresh
    setError(t("reader.rereadMismatch"));
    setValue(v);
    const r = check(v);
    if (r.decision === "ok") return save(v, null, null);
    setSecond("");
    setPanel({ kind: "check", first: v, result: r });
  }

  const kwh = (() => {
    const v = normalizeNumeric(value);
    if (!isRegister(v) || !meter.previous) return null;
    const r = check(v);
    return r.consumptionKwh !== null && r.consumptionKwh >= 0 ? r.consumptionKwh : null;
  })();

  const toneClass: Record<typeof state.tone, string> = {
    done: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    queued: "bg-amber-50 text-amber-900 ring-amber-200",
    missed: "bg-slate-100 text-slate-700 ring-slate-200",
    rejected: "bg-red-50 text-red-800 ring-red-200",
    todo: "bg-white text-slate-600 ring-slate-200",
  };

  return (
    <section data-testid="meter-card" data-installation={meter.installationId} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-2xl font-semibold text-slate-900">{meter.name}</h2>
          <p className="text-lg text-slate-600">{meter.address}</p>
        </div>
        <span data-testid="meter-state" className={cn("rounded-full px-3 py-1 text-base font-medium ring-1 ring-inset", toneClass[state.tone])}>{state.label}</span>
      </div>
      {state.message && <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-base text-red-800">{state.message}</p>}
      {/* a meter recorded as not read: the reader chooses catch-up or estimate where the station lets him */}
      {settings.missedDecisionBy === "READER" && meter.existing && meter.existing.value === null && (
        <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-slate-50 px-3 py-2" data-testid="missed-decision">
          <span className="text-base text-slate-700">{t("reader.missedDecision")}</span>
          {decision ? <span role="status" className={decision.ok ? "text-emerald-700" : "text-red-700"}>{decision.text}</span> : (
            (["CATCH_UP", "ESTIMATE"] as const).map((choice) => (
              <Button key={choice} size="md" variant="secondary" disabled={saving} onClick={async () => {
                const r = await decideMissedOnTablet({ readingId: meter.existing!.id, choice }).catch(() => null);
                if (!r) return setDecision({ ok: false, text: t("reader.offline") }); // needs the connection
                setDecision(r.status === "ok" && r.data
                  ? { ok: true, text: r.data.choice === "CATCH_UP" ? t("readings.checks.decidedCatchUp", { date: r.data.visitOn }) : t("readings.checks.decidedEstimate") }
                  : { ok: false, text: r.status === "ok" ? "" : r.message });
              }}>{choice === "CATCH_UP" ? t("readings.checks.catchUp") : t("readings.checks.estimate")}</Button>
            ))
          )}
        </div>
      )}

      <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 text-lg lg:grid-cols-4">
        <div><dt className="text-sm text-slate-500">{t("reader.customerNo")}</dt><dd className="tabular font-medium">{meter.customerNo}</dd></div>
        <div><dt className="text-sm text-slate-500">{t("reader.meterNo")}</dt><dd className="tabular font-medium">{meter.meterNo}{meter.multiplier !== 1 && <span className="ml-2 text-base text-amber-700">{t("reader.multiplier", { n: meter.multiplier })}</span>}</dd></div>
        <div>
          <dt className="text-sm text-slate-500">{meter.previous?.kind === "INSTALLATION_START" ? t("reader.previousStart") : t("reader.previous")}</dt>
          <dd data-testid="previous" className="tabular text-2xl font-semibold">{meter.previous?.value ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-sm text-slate-500">{t("reader.expected")}</dt>
          <dd data-testid="expected" className="tabular text-2xl font-semibold text-brand-700">
            {meter.expected ? `${meter.expected.low} – ${meter.expected.high}` : <span className="text-base font-normal text-slate-500">{t("reader.noExpected")}</span>}
          </dd>
        </div>
      </dl>

      <form
        className="mt-5 space-y-4"
        noValidate
        onSubmit={(e) => { e.preventDefault(); if (panel.kind === "none") void submit(value); }}
      >
        <label htmlFor="reading" className="block text-base font-medium text-slate-700">{t("reader.reading")}</label>
        <input
          ref={input}
          id="reading"
          name="reading"
          data-testid="reading-input"
          inputMode="decimal"
          autoComplete="off"
          enterKeyHint="done"
          placeholder={t("reader.readingPlaceholder")}
          value={value}
          onChange={(e) => { setValue(e.target.value); setError(null); if (panel.kind === "check") setPanel({ kind: "none" }); }}
          aria-invalid={!!error || undefined}
          aria-describedby={error ? "reading-error" : undefined}
          className={cn("block h-20 w-full rounded-lg border-2 bg-white px-4 text-right text-4xl font-semibold tabular tracking-wider text-slate-900 focus:outline-3 focus:outline-brand-600",
            error ? "border-red-500" : "border-slate-300")}
        />
        {error && <p id="reading-error" role="alert" className="text-lg text-red-700">{error}</p>}
        {kwh !== null && !error && <p className="text-base text-slate-600">{t("reader.consumption", { kwh })}</p>}
        {tou && (
          <div className="grid grid-cols-2 gap-3">
            <label className="text-base text-slate-700">{t("reader.peak")}
              <input inputMode="decimal" value={peak} onChange={(e) => setPeak(e.target.value)} className="mt-1 block h-14 w-full rounded-lg border-2 border-slate-300 px-3 text-right text-2xl tabular" />
            </label>
            <label className="text-base text-slate-700">{t("reader.valley")}
              <input inputMode="decimal" value={valley} onChange={(e) => setValley(e.target.value)} className="mt-1 block h-14 w-full rounded-lg border-2 border-slate-300 px-3 text-right text-2xl tabular" />
            </label>
          </div>
        )}

        <fieldset>
          <legend className="mb-2 text-base font-medium text-slate-700">{t("reader.flags")}</legend>
          <div className="flex flex-wrap items-center gap-2">
            {OBSERVATIONS.map((o) => (
              <button
                key={o}
                type="button"
                aria-pressed={obs.includes(o)}
                onClick={() => toggle(o)}
                className={cn("min-h-12 rounded-full border-2 px-4 text-base font-medium",
                  obs.includes(o) ? "border-brand-600 bg-brand-50 text-brand-800" : "border-slate-300 bg-white text-slate-700")}
              >
                {t(`readings.observation.${o}`)}
              </button>
            ))}
          <label className="inline-flex min-h-12 cursor-pointer items-center rounded-md border-2 border-dashed border-slate-300 px-4 text-base text-slate-700">
            {photo ? t("reader.photoTaken") : t("reader.photo")}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              className="sr-only"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (f) setPhoto(await photoToDataUrl(f).catch(() => null)); // an unreadable picture is simply not attached
              }}
            />
          </label>
          {photo && (
            <>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={photo} alt="" className="h-12 w-12 rounded object-cover" />
              <Button variant="ghost" size="sm" onClick={() => setPhoto(null)}>{t("reader.photoRemove")}</Button>
            </>
          )}
          </div>
        </fieldset>

        {panel.kind === "check" && (
          <div data-testid="check-panel" role="alertdialog" aria-labelledby="check-title" className="space-y-3 rounded-lg border-2 border-amber-300 bg-amber-50 p-4">
            <p id="check-title" className="text-lg font-semibold text-amber-900">
              {panel.result.decision === "reread" ? t("reader.rereadTitle") : t("reader.checkTitle")}
            </p>
            <p className="text-base text-amber-900">{panel.result.reasons.map((r) => t(`readings.reason.${r}`)).join("、")}
              {panel.result.consumptionKwh !== null && panel.result.consumptionKwh >= 0 && ` · ${t("reader.consumption", { kwh: panel.result.consumptionKwh })}`}
            </p>
            {panel.result.decision === "confirm" ? (
              <>
                <p className="text-base text-slate-700">{t("reader.confirmWith")}</p>
                <div className="flex flex-wrap gap-2">
                  {CONFIRM_REASONS.filter((c) => c !== "ROLLOVER" || panel.result.rollover).map((c) => (
                    <Button key={c} size="lg" variant="secondary" disabled={saving} data-testid={`confirm-${c}`}
                      onClick={() => save(panel.first, c, null, OBS_FROM_CONFIRM[c] ? [OBS_FROM_CONFIRM[c]!] : [])}>
                      {t(`readings.confirm.${c}`)}
                    </Button>
                  ))}
                </div>
              </>
            ) : (
              <div className="flex flex-wrap items-end gap-3">
                <label className="grow text-base text-slate-700">{t("reader.rereadInput")}
                  <input
                    autoFocus
                    data-testid="reread-input"
                    inputMode="decimal"
                    value={second}
                    onChange={(e) => setSecond(e.target.value)}
                    onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); void reread(); } }}
                    className="mt-1 block h-16 w-full rounded-lg border-2 border-amber-400 bg-white px-3 text-right text-3xl tabular"
                  />
                </label>
                <Button size="lg" disabled={saving} data-testid="reread-save" onClick={() => void reread()}>{t("reader.rereadSave")}</Button>
              </div>
            )}
          </div>
        )}

        {panel.kind === "missed" && (
          <div data-testid="missed-panel" className="space-y-3 rounded-lg border-2 border-slate-300 bg-slate-50 p-4">
            <p className="text-lg font-semibold">{t("reader.missedTitle")}</p>
            <div className="flex flex-wrap gap-2">
              {MISSED_REASONS.map((m) => (
                <Button key={m} size="lg" variant="secondary" disabled={saving} data-testid={`missed-${m}`}
                  onClick={() => save(null, null, m, m === "NO_ACCESS" ? ["NO_ACCESS"] : m === "METER_FAULT" ? ["METER_FAULT"] : [])}>
                  {t(`readings.missed.${m}`)}
                </Button>
              ))}
              <Button size="lg" variant="ghost" onClick={() => setPanel({ kind: "none" })}>{t("reader.cancel")}</Button>
            </div>
          </div>
        )}

        {panel.kind === "none" && (
          <div className="flex flex-wrap gap-3 pt-1">
            <Button type="submit" size="lg" className="grow" disabled={saving} data-testid="save-reading">{t("reader.save")}</Button>
            <Button size="lg" variant="secondary" disabled={saving} data-testid="not-read" onClick={() => setPanel({ kind: "missed" })}>{t("reader.notRead")}</Button>
          </div>
        )}
      </form>
    </section>
  );
}
