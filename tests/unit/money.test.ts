import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  divRoundHalfUp, fenTimesRate, formatYuan, parsePrice, parseYuan, priceMinus, priceTimes,
} from "@/lib/domain/money";

describe("money", () => {
  it.each([
    ["114.60", 11460], ["114.6", 11460], ["114", 11400], ["0.05", 5], ["-3.10", -310], ["0", 0],
  ])("parseYuan(%s) = %i fen", (s, fen) => expect(parseYuan(s)).toBe(fen));

  it.each(["1.234", "abc", "", "1e3", "0x10", "1,000.00", "19.999", " . "])("rejects %j", (s) => {
    expect(() => parseYuan(s)).toThrow(RangeError);
  });

  it("never goes through floating point: 19.99 is 1999 fen", () => {
    expect(parseYuan("19.99")).toBe(1999);
    expect(formatYuan(1999)).toBe("19.99");
  });

  it("formats negative and small amounts", () => {
    expect(formatYuan(-5)).toBe("-0.05");
    expect(formatYuan(100)).toBe("1.00");
  });

  it("parse and format are inverse", () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
      expect(parseYuan(formatYuan(fen))).toBe(fen);
    }));
  });

  it("rounds half up (away from zero) once", () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(-5n, 10n)).toBe(-1n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
  });

  it("prices kWh exactly: 310 kWh × 0.5469 = 169.539 → 169.54", () => {
    expect(priceTimes(parsePrice("0.5469"), 310n)).toBe(16954);
    expect(priceTimes(parsePrice("0.538"), 2760n)).toBe(148488);
  });

  it("applies a daily rate to fen: 150.00 × 0.001 × 28 = 4.20", () => {
    expect(fenTimesRate(15000, "0.001", 28)).toBe(420);
  });

  it("subtracts prices with their decimals", () => {
    expect(priceMinus("0.5969", "0.5469")).toBe("0.0500");
    expect(priceMinus("0.838", "0.538")).toBe("0.300");
    expect(priceMinus("0.5", "0.5469")).toBe("-0.0469");
  });
});
