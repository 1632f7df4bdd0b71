// 复抄: what a re-read ordered by the auditor decides (pure). The reader goes back to a meter
// whose reading for the period is in doubt and types what the register shows.
//  - The same register as the reading under doubt confirms it (the same value read twice stands:
//    REREAD_CONFIRMED, as on the tablet); the bill does not change and the auditor decides.
//  - Another value is a new reading and is checked like any reading (plausibility against the
//    previous one): an unusual one needs a confirm reason, a probable misread needs the same
//    value typed twice. It then replaces the doubted value and the bill is recomputed.
//  - An estimate is never "confirmed": a re-read of an estimated reading is the first actual one.
import { checkPlausibility, isResolved, REREAD_CONFIRMED, type ConfirmReason, type PlausibilityInput, type PlausibilityReason } from "./plausibility";
import { parseRegister } from "./register";

export type RereadInput = {
  value: string; // register as typed (already a valid register string)
  peak: string | null; // peak register when the meter has one and it was read
  again: string | null; // the value typed a second time after a "read it again"
  reasonCode: ConfirmReason | null; // the reader's answer to a "confirm"
};

export type Doubted = { total: string; peak: string | null; estimated: boolean };

export type RereadJudgement =
  | { ok: true; confirms: true; reasonCode: typeof REREAD_CONFIRMED }
  | { ok: true; confirms: false; reasonCode: string | null }
  | { ok: false; code: "READING_NEEDS_REREAD" | "READING_NEEDS_CONFIRM"; reasons: PlausibilityReason[] };

export function judgeReread(input: RereadInput, doubted: Doubted, check: Omit<PlausibilityInput, "value">): RereadJudgement {
  const value = parseRegister(input.value);
  const samePeak = input.peak === null || (doubted.peak !== null && parseRegister(input.peak) === parseRegister(doubted.peak));
  if (!doubted.estimated && value === parseRegister(doubted.total) && samePeak) {
    return { ok: true, confirms: true, reasonCode: REREAD_CONFIRMED };
  }
  const p = checkPlausibility({ ...check, value });
  if (p.decision === "ok") return { ok: true, confirms: false, reasonCode: null };
  const given = input.again !== null && parseRegister(input.again) === value ? REREAD_CONFIRMED : input.reasonCode;
  if (!isResolved(p.decision, given)) {
    return { ok: false, code: p.decision === "reread" ? "READING_NEEDS_REREAD" : "READING_NEEDS_CONFIRM", reasons: p.reasons };
  }
  return { ok: true, confirms: false, reasonCode: given };
}
