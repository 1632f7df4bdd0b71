// 力调电费: the power-factor adjustment of a 专变 (two-part tariff) customer's monthly bill.
//
// Source: 水利电力部、国家物价局《功率因数调整电费办法》((83)水电财字第215号, 1983-12-02),
// its three tables 以0.90 / 0.85 / 0.80 为标准值的功率因数调整电费表. Copies consulted:
//   http://wgbc.cn/zxjs/205.html  (功率因数调整电费增减查对表, by 无功/有功 ratio, all three standards)
//   http://www.wendahu.com/ask/l/lv2874318.htm  (method: monthly average PF from active and
//     reactive kWh, two decimals rounded half-up; adjustment = (基本电费 + 电度电费) × the table's %)
// Standards (same办法): 0.90 for high-voltage industrial users ≥ 160 kVA; 0.85 for other users
// ≥ 100 kVA (kW); 0.80 for agricultural users ≥ 100 kVA and wholesale (趸售) users.
//
// The tables are encoded below as data: for each standard, the listed rows from PF 1.00 down
// to the point where the办法 continues with a fixed step ("功率因数自0.64及以下，每降低0.01
// 电费增加2%" for the 0.90 table, from 0.59 for 0.85, from 0.54 for 0.80). Percentages are
// kept in hundredths of a percent (basis points of the bill): −75 = 减收 0.75 %, 50 = 增收 0.5 %.
import { divRoundHalfUp, type Fen } from "../money";

export type PowerFactorStandard = "0.90" | "0.85" | "0.80";

type Table = {
  /** [PF in hundredths, adjustment in basis points], from 100 down, one row per 0.01 */
  rows: readonly (readonly [number, number])[];
  /** below the last row, each further 0.01 lower adds this many basis points */
  tailStepBp: number;
};

// Rows written out as the published table reads (PF → ±%), so a reader can check them line by line.
const T090: Table = {
  rows: [
    [100, -75], [99, -75], [98, -75], [97, -75], [96, -75], [95, -75],
    [94, -60], [93, -45], [92, -30], [91, -15], [90, 0],
    [89, 50], [88, 100], [87, 150], [86, 200], [85, 250], [84, 300], [83, 350], [82, 400], [81, 450],
    [80, 500], [79, 550], [78, 600], [77, 650], [76, 700], [75, 750], [74, 800], [73, 850], [72, 900],
    [71, 950], [70, 1000],
    [69, 1100], [68, 1200], [67, 1300], [66, 1400], [65, 1500],
  ],
  tailStepBp: 200,
};

const T085: Table = {
  rows: [
    [100, -110], [99, -110], [98, -110], [97, -110], [96, -110], [95, -110], [94, -110],
    [93, -95], [92, -80], [91, -65], [90, -50], [89, -40], [88, -30], [87, -20], [86, -10], [85, 0],
    [84, 50], [83, 100], [82, 150], [81, 200], [80, 250], [79, 300], [78, 350], [77, 400], [76, 450],
    [75, 500], [74, 550], [73, 600], [72, 650], [71, 700], [70, 750], [69, 800], [68, 850], [67, 900],
    [66, 950], [65, 1000],
    [64, 1100], [63, 1200], [62, 1300], [61, 1400], [60, 1500],
  ],
  tailStepBp: 200,
};

const T080: Table = {
  rows: [
    [100, -130], [99, -130], [98, -130], [97, -130], [96, -130], [95, -130], [94, -130], [93, -130], [92, -130],
    [91, -115], [90, -100], [89, -90], [88, -80], [87, -70], [86, -60], [85, -50], [84, -40], [83, -30],
    [82, -20], [81, -10], [80, 0],
    [79, 50], [78, 100], [77, 150], [76, 200], [75, 250], [74, 300], [73, 350], [72, 400], [71, 450],
    [70, 500], [69, 550], [68, 600], [67, 650], [66, 700], [65, 750], [64, 800], [63, 850], [62, 900],
    [61, 950], [60, 1000],
    [59, 1100], [58, 1200], [57, 1300], [56, 1400], [55, 1500],
  ],
  tailStepBp: 200,
};

export const POWER_FACTOR_TABLES: Record<PowerFactorStandard, Table> = { "0.90": T090, "0.85": T085, "0.80": T080 };

/**
 * Monthly average power factor in hundredths, rounded half-up (the办法: 取两位小数，四舍五入):
 * cos φ = P / √(P² + Q²). Exact: the largest k with (k − ½)/100 ≤ cos φ, in integers.
 * null when there is no active energy (nothing to adjust).
 */
export function powerFactorHundredths(activeKwh: number, reactiveKvarh: number): number | null {
  if (activeKwh <= 0) return null;
  const p2 = BigInt(activeKwh) ** 2n;
  const s = p2 + BigInt(reactiveKvarh) ** 2n;
  for (let k = 100; k > 0; k--) {
    const t = BigInt(2 * k - 1);
    if (t * t * s <= 40000n * p2) return k;
  }
  return 0;
}

/** The table's adjustment for a power factor (hundredths) under a standard, in basis points. */
export function adjustmentBp(standard: PowerFactorStandard, pf: number): number {
  const table = POWER_FACTOR_TABLES[standard];
  const row = table.rows.find(([p]) => p === pf);
  if (row) return row[1];
  const [lastPf, lastBp] = table.rows[table.rows.length - 1];
  return lastBp + (lastPf - pf) * table.tailStepBp;
}

export type PowerFactorAdjustment = { powerFactor: string; bp: number; base: Fen; amount: Fen };

/** Adjustment on (basic charge + energy charge), rounded half-up to the fen. */
export function powerFactorAdjustment(
  standard: PowerFactorStandard, activeKwh: number, reactiveKvarh: number, base: Fen,
): PowerFactorAdjustment | null {
  const pf = powerFactorHundredths(activeKwh, reactiveKvarh);
  if (pf === null) return null;
  const bp = adjustmentBp(standard, pf);
  return {
    powerFactor: `${Math.trunc(pf / 100)}.${String(pf % 100).padStart(2, "0")}`,
    bp,
    base,
    amount: Number(divRoundHalfUp(BigInt(base) * BigInt(bp), 10000n)),
  };
}

/** 50 → "0.50", −75 → "-0.75": basis points as a percentage string. */
export function bpToPercent(bp: number): string {
  const a = Math.abs(bp);
  return `${bp < 0 ? "-" : ""}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}
