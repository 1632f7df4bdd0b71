// A tariff version's definition (TariffVersion.definition, JSON): the contract's EnergyTariff
// (docs/calculator.md §2, `price-bill`) plus, for 专变 customers, the two-part tariff. One zod schema
// validates it wherever it enters: the admin form, the demo seed, the calculator command.
import { z } from "zod";
import { isIsoDate, type IsoDate } from "../calendar";
import { isPrice } from "../money";
import type { EnergyTariff } from "./price-bill";

export const priceString = z
  .string()
  .refine((s) => isPrice(s), { message: "单价须为按公布位数书写的小数，如 0.5469" });

export const tierSchema = z.strictObject({
  upToKwh: z.number().int("档位上限须为整数千瓦时").positive("档位上限须大于 0").nullable(),
  price: priceString,
});

export const timeOfUseSchema = z.strictObject({ peak: priceString, valley: priceString });

// 两部制: basic charge by transformer capacity (元/kVA·月) or by maximum demand (元/kW·月),
// and the power-factor standard the 力调电费 table is read with (see power-factor.ts).
export const twoPartSchema = z.strictObject({
  basis: z.enum(["capacity", "demand"]),
  capacityPrice: priceString,
  demandPrice: priceString,
  powerFactorStandard: z.enum(["0.90", "0.85", "0.80"]),
});

export const TIER_MESSAGES = {
  lastOpen: "最后一档的上限须为空（不封顶）",
  onlyLastOpen: "只有最后一档可以不设上限",
  ascending: "档位上限须逐档递增",
} as const;

/** Tiers ascending, every threshold but the last set, the last null (no limit). */
function checkTiers(tiers: { upToKwh: number | null }[], ctx: z.RefinementCtx, path: (string | number)[]) {
  tiers.forEach((t, i) => {
    const last = i === tiers.length - 1;
    if (last && t.upToKwh !== null) {
      ctx.addIssue({ code: "custom", path: [...path, i, "upToKwh"], message: TIER_MESSAGES.lastOpen });
    }
    if (!last && t.upToKwh === null) {
      ctx.addIssue({ code: "custom", path: [...path, i, "upToKwh"], message: TIER_MESSAGES.onlyLastOpen });
    }
    const prev = i > 0 ? tiers[i - 1].upToKwh : null;
    if (!last && t.upToKwh !== null && prev !== null && t.upToKwh <= prev) {
      ctx.addIssue({ code: "custom", path: [...path, i, "upToKwh"], message: TIER_MESSAGES.ascending });
    }
  });
}

const energyShape = {
  tiers: z.array(tierSchema).min(1, "至少需要一档").max(10, "最多十档"),
  tierBasis: z.enum(["monthly", "annual"]),
  largeHouseholdExtraKwh: z.number().int("一户多人口增加电量须为整数").min(0).optional(),
  timeOfUse: timeOfUseSchema.nullable(),
};

export const energyTariffSchema = z
  .strictObject(energyShape)
  .superRefine((t, ctx) => checkTiers(t.tiers, ctx, ["tiers"]));

export const tariffDefinitionSchema = z
  .strictObject({ ...energyShape, twoPart: twoPartSchema.optional() })
  .superRefine((t, ctx) => checkTiers(t.tiers, ctx, ["tiers"]));

export type TwoPart = z.infer<typeof twoPartSchema>;
export type TariffDefinition = EnergyTariff & { twoPart?: TwoPart };

/** A version of a tariff as the billing run sees it. */
export type TariffVersionDef = { id: number; effectiveFrom: IsoDate; definition: TariffDefinition };

/** The version in force on `day`: the latest effective on or before it. */
export function versionInForce<V extends { effectiveFrom: IsoDate }>(versions: readonly V[], day: IsoDate): V | null {
  let best: V | null = null;
  for (const v of versions) {
    if (v.effectiveFrom <= day && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  }
  return best;
}

export function parseTariffDefinition(json: unknown): TariffDefinition {
  return tariffDefinitionSchema.parse(json) as TariffDefinition;
}

export const effectiveDateSchema = z.string().refine(isIsoDate, { message: "日期须为 YYYY-MM-DD 的有效日期" });
