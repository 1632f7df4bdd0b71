import "server-only";
import type { T } from "@/lib/i18n/core";
import { CONFIRM_REASONS, type PlausibilityReason } from "@/lib/domain/readings/plausibility";
import type { RereadLabels } from "./reread-form";

const REASONS: PlausibilityReason[] = ["EXCEEDS_REGISTER", "BELOW_PREVIOUS", "ROLLOVER", "HIGH_USAGE", "LOW_USAGE"];

/** The re-read form's strings, for the reader's visits page and the auditor's worklist. */
export function rereadLabels(t: T): RereadLabels {
  const k = (x: string) => t(`readings.reread.${x}`);
  return {
    value: k("value"), valuePlaceholder: k("valuePlaceholder"), peak: k("peak"), again: k("again"), confirmWith: k("confirmWith"),
    note: k("note"), notePlaceholder: k("notePlaceholder"), submit: k("submit"), submitting: k("submitting"), offline: k("offline"),
    confirmReasons: Object.fromEntries(CONFIRM_REASONS.map((r) => [r, t(`readings.confirm.${r}`)])),
    reasons: Object.fromEntries(REASONS.map((r) => [r, t(`readings.reason.${r}`)])),
  };
}
