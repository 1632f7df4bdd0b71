// 预购电 / 费控 (pure): what a prepaid account's balance calls for (docs/domain/prepaid.md §1).
//  * funds at or below warning 1 → 余额提醒 SMS, at or below warning 2 → the second warning;
//  * funds below zero → the 待停电通知 (stop notice) and the agreed fee-control stop order,
//    executed only after `stopAfterHours`: so never without the warnings first. No approval
//    (agreed in the prepaid contract), unlike an arrears disconnection;
//  * never a stop for a protected (保电) customer: they are warned, nothing more;
//  * a top-up that brings the funds above zero restores supply automatically.
// States (customer.fee_control_state): NORMAL, WARNED1, WARNED2, NOTICED (stop notice served,
// order pending), STOPPED.
import { parseYuan, type Fen } from "../money";
import type { Settings } from "../settings";

export type FeeControlState = "NORMAL" | "WARNED1" | "WARNED2" | "NOTICED" | "STOPPED";

export type FeeControlAction =
  | { kind: "WARN"; level: 1 | 2 } // send a low-balance SMS
  | { kind: "STOP_NOTICE" } // send 待停电通知 and open the stop order (scheduled after the grace)
  | { kind: "CANCEL_STOP" } // the order is not needed any more (topped up before it ran)
  | { kind: "EXECUTE_STOP" } // the order's time has come and funds are still below zero
  | { kind: "RESTORE" }; // stopped, and funds are above zero again → reconnection

export type FeeControlInput = {
  funds: Fen; // prepaid funds (−balance): > 0 the customer has money left
  state: FeeControlState;
  isProtected: boolean; // PROTECTED (保电) flag
  stopDue: boolean; // a pending stop order has reached its scheduled time
  settings: Settings["prepaid"];
};

export function parseFeeControlState(s: string): FeeControlState {
  return (["NORMAL", "WARNED1", "WARNED2", "NOTICED", "STOPPED"] as const).find((x) => x === s) ?? "NORMAL";
}

/** The warning level the funds are at: 0 none, 1 at/below warning 1, 2 at/below warning 2. */
export function warningLevel(funds: Fen, s: Settings["prepaid"]): 0 | 1 | 2 {
  if (funds <= parseYuan(s.warning2)) return 2;
  if (funds <= parseYuan(s.warning1)) return 1;
  return 0;
}

const levelOf: Record<FeeControlState, number> = { NORMAL: 0, WARNED1: 1, WARNED2: 2, NOTICED: 3, STOPPED: 4 };

export function decideFeeControl(i: FeeControlInput): { actions: FeeControlAction[]; state: FeeControlState } {
  const actions: FeeControlAction[] = [];
  let state = i.state;
  if (state === "STOPPED") {
    if (i.funds <= 0) return { actions, state };
    actions.push({ kind: "RESTORE" });
    state = "NORMAL";
  }
  if (state === "NOTICED" && i.funds >= 0) {
    actions.push({ kind: "CANCEL_STOP" });
    state = "WARNED2";
  }
  if (i.funds < 0) {
    if (state === "NOTICED") {
      if (i.stopDue && !i.isProtected) return { actions: [...actions, { kind: "EXECUTE_STOP" }], state: "STOPPED" };
      return { actions, state };
    }
    // the last warning comes first, even when one bill takes the funds below zero at once
    if (levelOf[state] < 2) actions.push({ kind: "WARN", level: 2 });
    if (i.isProtected) return { actions, state: "WARNED2" }; // 保电: warned, never stopped
    actions.push({ kind: "STOP_NOTICE" });
    return { actions, state: "NOTICED" };
  }
  const level = warningLevel(i.funds, i.settings);
  if (level === 0) return { actions, state: "NORMAL" }; // back above the thresholds: re-arm
  // one message per threshold crossed downwards: the most severe one not yet sent
  if (level > levelOf[state]) actions.push({ kind: "WARN", level });
  return { actions, state: level === 2 ? "WARNED2" : "WARNED1" };
}
