// The calculator registry behind `npm run --silent calc -- <name>` (docs/calculator.md): one
// entry per rule, each a strict zod schema for its JSON input and the pure function the web app
// uses. Helpers add their calculator here (one import, one line). Pure: no I/O.
import { z } from "zod";
import { DEFAULT_SETTINGS, mergeSettings, settingsOverrideSchema, type Settings, type SettingsOverride } from "./settings";
import { priceBillInput, priceTwoPartInput, runPriceBill, runPriceTwoPart } from "./billing/calculator";
import { lateFeeInputSchema, runLateFee } from "./payments/late-fee";
import { gradeInputSchema, runGrade } from "./grading/calculator";
import { reminderPlanInputSchema, runReminderPlan } from "./reminders/calculator";

export type Calculator = {
  schema: z.ZodType;
  run: (input: never, settings: Settings) => unknown;
};

export const CALCULATORS: Record<string, Calculator> = {
  "price-bill": { schema: priceBillInput, run: runPriceBill as Calculator["run"] },
  "price-two-part": { schema: priceTwoPartInput, run: runPriceTwoPart as Calculator["run"] },
  "late-fee": { schema: lateFeeInputSchema, run: runLateFee as Calculator["run"] },
  grade: { schema: gradeInputSchema, run: runGrade as Calculator["run"] },
  "reminder-plan": { schema: reminderPlanInputSchema, run: runReminderPlan as Calculator["run"] },
};


export type CalcResult = { ok: true; output: unknown } | { ok: false; message: string };

function valueAt(root: unknown, path: readonly PropertyKey[]): { present: boolean } {
  let node: unknown = root;
  for (const k of path) {
    if (node === null || typeof node !== "object" || !(k in (node as object))) return { present: false };
    node = (node as Record<PropertyKey, unknown>)[k];
  }
  return { present: node !== undefined };
}

const CJK = /[\u4e00-\u9fff]/;

/** zod issues → one Chinese line per issue, each naming the field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const lines = issues.slice(0, 8).flatMap((i) => {
    const path = i.path.map(String).join(".");
    const at = (p: string) => (p === "" ? "(输入)" : p);
    switch (i.code) {
      case "unrecognized_keys":
        return i.keys.map((k) => `${at(path ? `${path}.${k}` : k)}: 未知字段（输入须严格按约定的字段）`);
      case "invalid_type":
        if (!valueAt(input, i.path).present) return [`${at(path)}: 缺少该字段`];
        return [`${at(path)}: ${CJK.test(i.message) ? i.message : `类型错误，应为 ${i.expected === "int" ? "整数" : i.expected}`}`];
      case "invalid_value":
        return [`${at(path)}: 取值须为 ${i.values.map((v) => JSON.stringify(v)).join(" / ")}`];
      case "too_small":
        return [`${at(path)}: ${CJK.test(i.message) ? i.message : `不能小于 ${String(i.minimum)}`}`];
      case "too_big":
        return [`${at(path)}: ${CJK.test(i.message) ? i.message : `不能大于 ${String(i.maximum)}`}`];
      default:
        return [`${at(path)}: ${CJK.test(i.message) ? i.message : "取值无效"}`];
    }
  });
  return lines.join("\n");
}

/** The whole command minus the process: name + stdin text → output or a message. */
export function runCalculator(name: string | undefined, text: string): CalcResult {
  const known = Object.keys(CALCULATORS).join(", ");
  if (!name) return { ok: false, message: `用法: npm run --silent calc -- <名称> < 输入.json（可用: ${known}）` };
  const calc = CALCULATORS[name];
  if (!calc) return { ok: false, message: `未知的计算器 "${name}"（可用: ${known}）` };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { ok: false, message: "输入不是有效的 JSON 文档" };
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, message: "(输入): 须为一个 JSON 对象" };
  }
  const parsed = calc.schema.safeParse(input);
  if (!parsed.success) return { ok: false, message: `输入无效:\n${describeIssues(parsed.error.issues, input)}` };
  const rawSettings = (input as { settings?: unknown }).settings;
  let settings = DEFAULT_SETTINGS;
  if (rawSettings !== undefined) {
    const s = settingsOverrideSchema.safeParse(rawSettings);
    if (!s.success) {
      const issues = s.error.issues.map((i) => ({ ...i, path: ["settings", ...i.path] }));
      return { ok: false, message: `输入无效:\n${describeIssues(issues as z.core.$ZodIssue[], input)}` };
    }
    settings = mergeSettings(DEFAULT_SETTINGS, s.data as SettingsOverride);
  }
  return { ok: true, output: calc.run(parsed.data as never, settings) };
}
