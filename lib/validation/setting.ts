// The form for a new version of one settings group. Form values arrive as strings: each field is
// coerced by its kind (read off the domain schema it is built from: integer, rate, money, time,
// choice), then the group's own domain schema (lib/domain/settings.ts) decides, and every problem
// is reported on its field with a message that says what to type. Messages are final text from
// the catalog (t is passed in), because they carry the field's bounds.
import { z } from "zod";
import { isIsoDate } from "@/lib/domain/calendar";
import { parseYuan } from "@/lib/domain/money";
import {
  DEFAULT_SETTINGS, moneySetting, rateSetting, settingsSchema, timeSetting, type Settings, type SettingsGroup,
} from "@/lib/domain/settings";
import type { T } from "@/lib/i18n/core";
import { normalizeNumeric } from "./input";

export type FieldKind = "int" | "rate" | "money" | "time" | "choice" | "text";

export type SettingField = {
  key: string;
  kind: FieldKind;
  nullable: boolean; // empty input means null (e.g. no minimum late fee)
  min?: number;
  max?: number; // absent: no upper bound
  options?: string[];
};

/** Groups an administrator may schedule. `station.timezone` is not: the station's clock is the
 *  station record's time zone, which nothing here changes, so a version of it would mislead. */
export const EDITABLE_GROUPS = (Object.keys(DEFAULT_SETTINGS) as SettingsGroup[]).filter((g) => g !== "station");

export function isEditableGroup(g: string): g is SettingsGroup {
  return (EDITABLE_GROUPS as string[]).includes(g);
}

function describe(key: string, schema: z.ZodType): SettingField {
  let s = schema;
  let nullable = false;
  if (s instanceof z.ZodNullable) {
    nullable = true;
    s = s.unwrap() as z.ZodType;
  }
  if (s instanceof z.ZodNumber) {
    const max = s.maxValue ?? undefined;
    return { key, kind: "int", nullable, min: s.minValue ?? undefined, max: max !== null && max !== undefined && max < Number.MAX_SAFE_INTEGER ? max : undefined };
  }
  if (s instanceof z.ZodEnum) return { key, kind: "choice", nullable, options: s.options.map(String) };
  const kind: FieldKind = s === rateSetting ? "rate" : s === moneySetting ? "money" : s === timeSetting ? "time" : "text";
  return { key, kind, nullable };
}

/** The fields of a group in the schema's order. */
export function settingFields(group: SettingsGroup): SettingField[] {
  const shape = settingsSchema.shape[group].shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([k, v]) => describe(k, v));
}

/** One form string → the value the domain schema expects (or the trimmed text, to be refused).
 *  Every field is read as a number is everywhere (lib/validation/input.ts): full-width digits,
 *  points and colons from a Chinese IME become ASCII, thousands separators are dropped. */
export function coerceField(f: SettingField, raw: unknown): unknown {
  const s = typeof raw === "string" ? normalizeNumeric(raw) : "";
  if (s === "") return f.nullable ? null : undefined;
  switch (f.kind) {
    case "int":
      return /^[+-]?\d{1,15}$/.test(s) ? Number(s) : s;
    case "money": {
      const m = /^(\d{1,11})(?:\.(\d{1,2}))?$/.exec(s); // "1" and "1.5" mean 1.00 and 1.50
      return m ? `${m[1]}.${(m[2] ?? "").padEnd(2, "0")}` : s;
    }
    case "rate":
      return s.startsWith(".") ? `0${s}` : s;
    case "time":
      return /^\d:[0-5]\d$/.test(s) ? `0${s}` : s; // 8:00 → 08:00
    default:
      return s;
  }
}

/** A stored value back into the form's strings (null → empty). */
export function settingToFields(group: SettingsGroup, value: Settings[SettingsGroup]): Record<string, string> {
  const v = value as Record<string, unknown>;
  return Object.fromEntries(settingFields(group).map((f) => [f.key, v[f.key] === null || v[f.key] === undefined ? "" : String(v[f.key])]));
}

const V = "admin.settings.validation.";

function fieldMessage(t: T, f: SettingField, value: unknown): string {
  if (value === undefined) return t(V + "required");
  switch (f.kind) {
    case "int":
      return f.max === undefined ? t(V + "intMin", { min: f.min ?? 0 }) : t(V + "intRange", { min: f.min ?? 0, max: f.max });
    case "rate":
      return t(V + "rate");
    case "money":
      return t(f.nullable ? V + "moneyOrEmpty" : V + "money");
    case "time":
      return t(V + "time");
    case "choice":
      return t(V + "choice");
    default:
      return t(V + "required");
  }
}

const inQuiet = (at: string, from: string, to: string) => (from <= to ? at >= from && at < to : at >= from || at < to);

/** Rules between fields of one group, on values the domain schema has accepted. */
function crossFieldProblems(group: SettingsGroup, v: Record<string, unknown>): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  if (group === "prepaid" && parseYuan(String(v.warning2)) >= parseYuan(String(v.warning1))) {
    out.push({ key: "warning2", message: "warningOrder" });
  }
  if (group === "audit" && Number(v.zeroPeriodsSiteCheck) > Number(v.zeroPeriodsClosure)) {
    out.push({ key: "zeroPeriodsSiteCheck", message: "zeroOrder" });
  }
  if (group === "session" && Number(v.absoluteHours) * 60 < Number(v.idleMinutes)) {
    out.push({ key: "absoluteHours", message: "sessionOrder" });
  }
  if (group === "reminders") {
    const [from, to] = [String(v.quietFrom), String(v.quietTo)];
    if (from === to) out.push({ key: "quietTo", message: "quietEmpty" });
    else {
      for (const k of ["sendAt", "callAt"]) if (inQuiet(String(v[k]), from, to)) out.push({ key: k, message: "inQuiet" });
    }
  }
  return out;
}

export type SettingVersionInput = { group: SettingsGroup; effectiveFrom: string; value: Settings[SettingsGroup] };

/** FormData object → { group, effectiveFrom, value } with the whole group's values. Every problem
 *  is reported at once: a bad date does not hide the fields' messages. */
export function settingVersionSchema(t: T) {
  return z
    .object({ group: z.unknown().optional(), effectiveFrom: z.unknown().optional() })
    .loose()
    .transform((f, ctx): SettingVersionInput => {
      if (typeof f.group !== "string" || !isEditableGroup(f.group)) {
        ctx.addIssue({ code: "custom", path: ["group"], message: t(V + "group") });
        return z.NEVER;
      }
      const group = f.group;
      const effectiveFrom = typeof f.effectiveFrom === "string" ? normalizeNumeric(f.effectiveFrom) : "";
      if (!isIsoDate(effectiveFrom)) ctx.addIssue({ code: "custom", path: ["effectiveFrom"], message: t(V + "date") });
      const fields = settingFields(group);
      const raw = f as Record<string, unknown>;
      const value = Object.fromEntries(fields.map((fd) => [fd.key, coerceField(fd, raw[fd.key])]));
      const r = settingsSchema.shape[group].safeParse(value);
      if (!r.success) {
        const seen = new Set<string>();
        for (const issue of r.error.issues) {
          const key = String(issue.path[0] ?? "_");
          const fd = fields.find((x) => x.key === key);
          if (seen.has(key)) continue;
          seen.add(key);
          ctx.addIssue({ code: "custom", path: [key], message: fd ? fieldMessage(t, fd, value[key]) : t(V + "group") });
        }
        return z.NEVER;
      }
      const problems = crossFieldProblems(group, r.data);
      for (const p of problems) ctx.addIssue({ code: "custom", path: [p.key], message: t(V + p.message) });
      if (problems.length || !isIsoDate(effectiveFrom)) return z.NEVER;
      return { group, effectiveFrom, value: r.data as Settings[SettingsGroup] };
    });
}
