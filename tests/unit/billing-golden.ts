// Golden tariff cases derived from published tables, shared by the unit tests, the calculator
// command test and the billing-run integration test (the same case must give the same bill
// through every path). Each case names its source; amounts were worked by hand, line by line,
// rounding each line half-up to the fen (docs/calculator.md §2).
import type { EnergyTariff, EnergyUsage } from "@/lib/domain/billing/price-bill";

export type GoldenCase = {
  name: string;
  source: string;
  tariff: EnergyTariff;
  usage: EnergyUsage;
  lines: { label: string; kwh: number; price: string; amount: string }[];
  total: string;
};

// 山东 monthly tiers 210 / 400 kWh, 0.5469 base, +0.05 / +0.30 (docs/sources.md §2.3,
// https://3dmxku.com/daquan/zonghe/3900872.html); 一户多人口 +100 kWh per tier per month
// (docs/sources.md §2.3, provincial DRC notice of 2022-08-29).
export const SHANDONG: EnergyTariff = {
  tiers: [{ upToKwh: 210, price: "0.5469" }, { upToKwh: 400, price: "0.5969" }, { upToKwh: null, price: "0.8469" }],
  tierBasis: "monthly",
  largeHouseholdExtraKwh: 100,
  timeOfUse: null,
};

// 浙江 annual tiers 2760 / 4800 kWh; 0.538 / 0.588 / 0.838; TOU 0.568 / 0.288 for tier 1
// (tier-2 TOU 0.618/0.338 and tier-3 0.868/0.588 are the same +0.05 / +0.30 increments)
// (docs/sources.md §2.3: 浙江省物价局《关于完善居民生活用电阶梯电价政策有关事项的通知》).
export const ZHEJIANG_TOU: EnergyTariff = {
  tiers: [{ upToKwh: 2760, price: "0.538" }, { upToKwh: 4800, price: "0.588" }, { upToKwh: null, price: "0.838" }],
  tierBasis: "annual",
  timeOfUse: { peak: "0.568", valley: "0.288" },
};
export const ZHEJIANG_FLAT: EnergyTariff = { ...ZHEJIANG_TOU, timeOfUse: null };
// 浙江 不满1千伏合表用户 0.558 (same table): a single tier = a flat tariff
export const ZHEJIANG_SHARED_METER: EnergyTariff = { tiers: [{ upToKwh: null, price: "0.558" }], tierBasis: "monthly", timeOfUse: null };

const u = (kwh: number, o: Partial<EnergyUsage> = {}): EnergyUsage => ({
  kwh, householdSize: 3, priorKwhInYear: 0, peakKwh: null, valleyKwh: null, ...o,
});

export const GOLDEN: GoldenCase[] = [
  {
    name: "contract example: 山东 monthly, five-person household, 450 kWh",
    source: "docs/calculator.md §2 example; 山东 tiers + 一户多人口 +100",
    tariff: SHANDONG,
    usage: u(450, { householdSize: 5 }),
    lines: [
      { label: "tier-1", kwh: 310, price: "0.5469", amount: "169.54" }, // 169.539
      { label: "tier-2", kwh: 140, price: "0.5969", amount: "83.57" }, // 83.566
    ],
    total: "253.11",
  },
  {
    name: "山东 monthly, three-person household, 450 kWh reaches tier 3",
    source: "山东 210/400 kWh, 0.5469/0.5969/0.8469",
    tariff: SHANDONG,
    usage: u(450),
    lines: [
      { label: "tier-1", kwh: 210, price: "0.5469", amount: "114.85" }, // 114.849
      { label: "tier-2", kwh: 190, price: "0.5969", amount: "113.41" }, // 113.411
      { label: "tier-3", kwh: 50, price: "0.8469", amount: "42.35" }, // 42.345 → half-up
    ],
    total: "270.61",
  },
  {
    name: "山东 monthly, 180 kWh stays in tier 1",
    source: "山东 210 kWh tier-1 limit",
    tariff: SHANDONG,
    usage: u(180),
    lines: [{ label: "tier-1", kwh: 180, price: "0.5469", amount: "98.44" }], // 98.442
    total: "98.44",
  },
  {
    name: "浙江 annual TOU: 300 kWh crossing 2760 with 2700 used earlier in the year (先峰谷、后阶梯)",
    source: "浙江 annual 2760/4800, TOU 0.568/0.288, tier-2 increment 0.05",
    tariff: ZHEJIANG_TOU,
    usage: u(300, { priorKwhInYear: 2700, peakKwh: 180, valleyKwh: 120 }),
    lines: [
      { label: "peak", kwh: 180, price: "0.568", amount: "102.24" },
      { label: "valley", kwh: 120, price: "0.288", amount: "34.56" },
      { label: "tier-2-increment", kwh: 240, price: "0.050", amount: "12.00" },
    ],
    total: "148.80",
  },
  {
    name: "浙江 annual flat: 200 kWh crossing 4800 with 4700 earlier",
    source: "浙江 annual 2760/4800, 0.588 / 0.838",
    tariff: ZHEJIANG_FLAT,
    usage: u(200, { priorKwhInYear: 4700 }),
    lines: [
      { label: "tier-2", kwh: 100, price: "0.588", amount: "58.80" },
      { label: "tier-3", kwh: 100, price: "0.838", amount: "83.80" },
    ],
    total: "142.60",
  },
  {
    name: "浙江 合表 flat 0.558, 1234 kWh",
    source: "浙江 不满1千伏合表用户 0.558",
    tariff: ZHEJIANG_SHARED_METER,
    usage: u(1234),
    lines: [{ label: "tier-1", kwh: 1234, price: "0.558", amount: "688.57" }], // 688.572
    total: "688.57",
  },
];
