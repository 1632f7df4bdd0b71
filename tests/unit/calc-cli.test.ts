// The calculator command as a user runs it: `npm run --silent calc -- price-bill < input.json`.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runCalculator } from "@/lib/domain/calculators";
import { GOLDEN, SHANDONG, ZHEJIANG_TOU } from "./billing-golden";

function calc(name: string | null, stdin: string) {
  const args = ["run", "--silent", "calc", "--", ...(name ? [name] : [])];
  const r = spawnSync("npm", args, { input: stdin, encoding: "utf8", cwd: process.cwd(), timeout: 60_000 });
  // npm itself may warn about the user's npmrc on stderr; our own messages are what we check
  const ownErr = r.stderr.split("\n").filter((l) => l && !l.startsWith("npm warn")).join("\n");
  return { code: r.status, stdout: r.stdout, stderr: ownErr };
}

describe("npm run --silent calc -- price-bill (spawned)", () => {
  it("golden cases from published tariffs: JSON in, JSON out, exit 0", () => {
    for (const g of GOLDEN) {
      const r = calc("price-bill", JSON.stringify({ tariff: g.tariff, usage: g.usage }));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout)).toEqual({ lines: g.lines, total: g.total });
    }
  }, 120_000);

  it.each<[string, unknown, RegExp]>([
    ["misspelt field", { tariff: { ...SHANDONG, largeHouseholdExtraKWh: 100 }, usage: { kwh: 1, householdSize: 5 } }, /tariff\.largeHouseholdExtraKWh/],
    ["negative kWh", { tariff: SHANDONG, usage: { kwh: -5 } }, /usage\.kwh/],
    ["peak + valley ≠ kWh", { tariff: ZHEJIANG_TOU, usage: { kwh: 300, peakKwh: 100, valleyKwh: 100 } }, /usage\.peakKwh/],
    ["price as a number", { tariff: { ...SHANDONG, tiers: [{ upToKwh: null, price: 0.5469 }] }, usage: { kwh: 5 } }, /tariff\.tiers\.0\.price/],
    ["unknown settings key", { tariff: SHANDONG, usage: { kwh: 5 }, settings: { lateFee: { residentialDailyRat: "0.001" } } }, /settings\.lateFee\.residentialDailyRat/],
  ])("invalid input (%s): exit 2, nothing on stdout, the field named", (_n, input, field) => {
    const r = calc("price-bill", JSON.stringify(input));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(field);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+|Error:/); // never a stack trace
  }, 60_000);

  it("not JSON, unknown name, empty input, no name: exit 2 with a message", () => {
    for (const [name, stdin, msg] of [
      ["price-bill", "{not json", /JSON/],
      ["price-bil", "{}", /未知的计算器/],
      ["reminder-plan", "{}", /asOf: 缺少该字段/],
      ["grade", "{}", /asOf: 缺少该字段/],
      [null, "{}", /用法/],
    ] as const) {
      const r = calc(name, stdin);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(msg);
    }
  }, 120_000);
});

describe("runCalculator (in process)", () => {
  it("accepts settings overrides and absent optional fields", () => {
    const r = runCalculator("price-bill", JSON.stringify({
      tariff: { tiers: [{ upToKwh: null, price: "0.558" }], tierBasis: "monthly" },
      usage: { kwh: 10 },
      settings: { audit: { historyDeviationPct: 20 } },
    }));
    expect(r).toEqual({ ok: true, output: { lines: [{ label: "tier-1", kwh: 10, price: "0.558", amount: "5.58" }], total: "5.58" } });
  });

  it.each<[string, unknown, RegExp]>([
    ["missing usage", { tariff: SHANDONG }, /usage: 缺少该字段/],
    ["fractional kWh", { tariff: SHANDONG, usage: { kwh: 1.5 } }, /usage\.kwh: 须为整数/],
    ["tiers descending", { tariff: { ...SHANDONG, tiers: [{ upToKwh: 400, price: "0.5" }, { upToKwh: 210, price: "0.6" }, { upToKwh: null, price: "0.8" }] }, usage: { kwh: 1 } }, /tariff\.tiers\.1\.upToKwh/],
    ["bad tier basis", { tariff: { ...SHANDONG, tierBasis: "weekly" }, usage: { kwh: 1 } }, /tariff\.tierBasis: 取值须为/],
    ["TOU without peak", { tariff: ZHEJIANG_TOU, usage: { kwh: 1 } }, /usage\.peakKwh/],
    ["settings value invalid", { tariff: SHANDONG, usage: { kwh: 1 }, settings: { audit: { historyDeviationPct: -3 } } }, /settings\.audit\.historyDeviationPct/],
    ["an array", [], /JSON 对象/],
  ])("%s → a message naming the field", (_n, input, msg) => {
    const r = runCalculator("price-bill", JSON.stringify(input));
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toMatch(msg);
  });

  it("price-two-part: basic charge by capacity and 力调电费", () => {
    const r = runCalculator("price-two-part", JSON.stringify({
      tariff: { tiers: [{ upToKwh: null, price: "0.6" }], tierBasis: "monthly",
        twoPart: { basis: "capacity", capacityPrice: "30", demandPrice: "40", powerFactorStandard: "0.90" } },
      usage: { kwh: 100000, reactiveKvarh: 61980, capacityKva: 400 },
    }));
    expect(r.ok && (r.output as { total: string }).total).toBe("73800.00");
  });
});
