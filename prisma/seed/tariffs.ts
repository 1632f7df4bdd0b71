// The tariffs the demo station is seeded with. Residential figures are real published ones
// (docs/domain/tariffs.md §4); where a figure is made up, its `source` says so.
// Definition shape = the contract's EnergyTariff (lib/domain/billing/price-bill.ts) plus, for
// large (专变) customers, an optional `twoPart` block (basic charge and power-factor standard).
import type { EnergyTariff } from "../../lib/domain/billing/price-bill";
import type { CustomerCategory } from "../../generated/prisma/enums";

export type TwoPart = {
  basis: "capacity" | "demand";
  capacityPrice: string; // 元/kVA·月
  demandPrice: string; // 元/kW·月
  powerFactorStandard: "0.90" | "0.85" | "0.80";
};

export type TariffDefinition = EnergyTariff & { twoPart?: TwoPart };

export type TariffSeed = {
  code: string;
  name: string;
  category: CustomerCategory;
  versions: { effectiveFrom: string; definition: TariffDefinition; source: string }[];
};

const ZJ_NOTICE =
  "浙江省物价局《关于完善居民生活用电阶梯电价政策有关事项的通知》, 不满1千伏一户一表 " +
  "https://www.zj.gov.cn/zjservice/item/detail/lawtext.do?outLawId=bd34d4c7-2763-4a68-bc94-cee2d3224dbf " +
  "(the table as copied in https://github.com/cc01cc/Eru/blob/ce05c8073153f7b91b4c1b31cfb8e5907e03516d/living-cost-electricity.md; docs/sources.md §2.3)";

const ZJ_TIERS = [
  { upToKwh: 2760, price: "0.538" },
  { upToKwh: 4800, price: "0.588" },
  { upToKwh: null, price: "0.838" },
];

// 一户多人口 on an annual basis: +100 kWh a month per tier = +1200 kWh a year (docs/domain/tariffs.md §3: an estimate).
const ZJ_LARGE_EXTRA = 1200;

/** The date inside the demo history at which NONRES-FLAT gets its second version. */
export const TARIFF_CHANGE_DATE = "2026-07-01";

export const TARIFF_SEEDS: TariffSeed[] = [
  {
    code: "ZJ-RES",
    name: "浙江居民生活用电 一户一表 年阶梯",
    category: "RESIDENTIAL",
    versions: [{
      effectiveFrom: "2012-07-01",
      definition: { tiers: ZJ_TIERS, tierBasis: "annual", largeHouseholdExtraKwh: ZJ_LARGE_EXTRA, timeOfUse: null },
      source: `${ZJ_NOTICE}. largeHouseholdExtraKwh 1200/年 is an estimate (docs/domain/tariffs.md §3: +100 kWh/月 per tier, annualised), not from the notice.`,
    }],
  },
  {
    code: "ZJ-RES-TOU",
    name: "浙江居民生活用电 一户一表 年阶梯 峰谷",
    category: "RESIDENTIAL",
    versions: [{
      effectiveFrom: "2012-07-01",
      definition: {
        tiers: ZJ_TIERS, tierBasis: "annual", largeHouseholdExtraKwh: ZJ_LARGE_EXTRA,
        timeOfUse: { peak: "0.568", valley: "0.288" },
      },
      source: `${ZJ_NOTICE}; peak 08:00–22:00, valley 22:00–08:00 (docs/sources.md §2.3). Tier increments +0.05/+0.30 after TOU (先峰谷、后阶梯). largeHouseholdExtraKwh 1200/年 estimated.`,
    }],
  },
  {
    code: "SD-RES",
    name: "山东居民生活用电 月阶梯",
    category: "RESIDENTIAL",
    versions: [{
      effectiveFrom: "2012-07-01",
      definition: {
        tiers: [
          { upToKwh: 210, price: "0.5469" },
          { upToKwh: 400, price: "0.5969" },
          { upToKwh: null, price: "0.8469" },
        ],
        tierBasis: "monthly", largeHouseholdExtraKwh: 100, timeOfUse: null,
      },
      source: "山东居民阶梯: 月 210/400 kWh, 0.5469 +0.05/+0.30, https://3dmxku.com/daquan/zonghe/3900872.html (docs/sources.md §2.3); 一户多人口 +100 kWh/月 per tier from a provincial DRC notice of 2022-08-29 (docs/sources.md §2.3), applied here to Shandong by assumption.",
    }],
  },
  {
    code: "NONRES-FLAT",
    name: "一般工商业 单一制 不满1千伏",
    category: "NON_RESIDENTIAL",
    versions: [
      {
        effectiveFrom: "2020-01-01",
        definition: { tiers: [{ upToKwh: null, price: "0.6644" }], tierBasis: "monthly", timeOfUse: null },
        source: "MADE UP for the demo: a plausible 一般工商业 flat price; no published source checked.",
      },
      {
        effectiveFrom: TARIFF_CHANGE_DATE,
        definition: { tiers: [{ upToKwh: null, price: "0.6394" }], tierBasis: "monthly", timeOfUse: null },
        source: "MADE UP for the demo: a 0.025 元/kWh reduction, so that billing across a tariff change is exercised.",
      },
    ],
  },
  {
    code: "NONRES-TOU",
    name: "一般工商业 峰谷分时 不满1千伏",
    category: "NON_RESIDENTIAL",
    versions: [{
      effectiveFrom: "2020-01-01",
      definition: {
        tiers: [{ upToKwh: null, price: "0.6644" }], tierBasis: "monthly",
        timeOfUse: { peak: "0.9790", valley: "0.3460" },
      },
      source: "MADE UP for the demo: plausible 一般工商业 peak/valley prices; no published source checked.",
    }],
  },
  {
    code: "LARGE-2P-CAP",
    name: "大工业 两部制 按容量 1-10千伏",
    category: "LARGE",
    versions: [{
      effectiveFrom: "2020-01-01",
      definition: {
        tiers: [{ upToKwh: null, price: "0.6120" }], tierBasis: "monthly",
        timeOfUse: { peak: "0.9180", valley: "0.3060" },
        twoPart: { basis: "capacity", capacityPrice: "30", demandPrice: "48", powerFactorStandard: "0.90" },
      },
      source: "MADE UP for the demo: energy, capacity (30 元/kVA·月) and demand (48 元/kW·月) prices are plausible figures, not from a published table. Power-factor standard 0.90 per the 1983 功率因数调整电费办法 for ≥160 kVA industrial users (from memory).",
    }],
  },
  {
    code: "LARGE-2P-DEM",
    name: "大工业 两部制 按需量 1-10千伏",
    category: "LARGE",
    versions: [{
      effectiveFrom: "2020-01-01",
      definition: {
        tiers: [{ upToKwh: null, price: "0.6120" }], tierBasis: "monthly", timeOfUse: null,
        twoPart: { basis: "demand", capacityPrice: "30", demandPrice: "48", powerFactorStandard: "0.90" },
      },
      source: "MADE UP for the demo: energy and demand (48 元/kW·月) prices are plausible figures, not from a published table.",
    }],
  },
  {
    code: "TEMP-FLAT",
    name: "临时用电 单一制",
    category: "TEMPORARY",
    versions: [{
      effectiveFrom: "2020-01-01",
      definition: { tiers: [{ upToKwh: null, price: "0.6644" }], tierBasis: "monthly", timeOfUse: null },
      source: "MADE UP for the demo: temporary supply priced like 一般工商业 flat.",
    }],
  },
];
