// The billing calculators of the command `npm run --silent calc -- <name>` (docs/calculator.md):
// `price-bill` exactly as the contract specifies, on priceEnergy, the function the billing run
// uses; `price-two-part` (an addition) prices a 专变 bill with the basic charge and 力调电费.
import { z } from "zod";
import { formatYuan } from "../money";
import { computeBill } from "./compute-bill";
import { priceEnergy, toContractOutput } from "./price-bill";
import { energyTariffSchema, tariffDefinitionSchema, timeOfUseSchema, tierSchema, twoPartSchema } from "./tariff";

const kwh = z.number().int("须为整数千瓦时").min(0, "不能为负数");

// The calculator accepts `timeOfUse` absent (= null); everything else as the contract lists it.
const calcTariff = z
  .strictObject({
    tiers: z.array(tierSchema).min(1, "至少需要一档").max(10, "最多十档"),
    tierBasis: z.enum(["monthly", "annual"]),
    largeHouseholdExtraKwh: z.number().int("须为整数千瓦时").min(0, "不能为负数").optional(),
    timeOfUse: timeOfUseSchema.nullable().default(null),
  })
  .superRefine((t, ctx) => {
    const r = energyTariffSchema.safeParse(t);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
  });

const usage = z.strictObject({
  kwh,
  householdSize: z.number().int("须为整数").min(1, "至少 1 人").max(99).default(1),
  priorKwhInYear: kwh.default(0),
  peakKwh: kwh.nullable().default(null),
  valleyKwh: kwh.nullable().default(null),
});

/** With time-of-use prices, peak + valley must be given and add up to the period's kWh. */
function checkTouSplit(
  v: { tariff: { timeOfUse: unknown }; usage: { kwh: number; peakKwh: number | null; valleyKwh: number | null } },
  ctx: z.RefinementCtx,
) {
  if (!v.tariff.timeOfUse) return;
  const { kwh: total, peakKwh, valleyKwh } = v.usage;
  if (peakKwh === null) ctx.addIssue({ code: "custom", path: ["usage", "peakKwh"], message: "分时电价须给出峰段电量" });
  if (valleyKwh === null) ctx.addIssue({ code: "custom", path: ["usage", "valleyKwh"], message: "分时电价须给出谷段电量" });
  if (peakKwh !== null && valleyKwh !== null && peakKwh + valleyKwh !== total) {
    ctx.addIssue({ code: "custom", path: ["usage", "peakKwh"], message: `峰段与谷段电量之和 (${peakKwh + valleyKwh}) 须等于总电量 ${total}` });
  }
}

export const priceBillInput = z
  .strictObject({ tariff: calcTariff, usage, settings: z.unknown().optional() })
  .superRefine(checkTouSplit);

export function runPriceBill(input: z.infer<typeof priceBillInput>) {
  return toContractOutput(priceEnergy(input.tariff, input.usage));
}

const demand = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, "最大需量须为至多两位小数的字符串，如 \"321.50\"");

export const priceTwoPartInput = z
  .strictObject({
    tariff: z.strictObject({
      tiers: z.array(tierSchema).min(1),
      tierBasis: z.enum(["monthly", "annual"]),
      largeHouseholdExtraKwh: z.number().int().min(0).optional(),
      timeOfUse: timeOfUseSchema.nullable().default(null),
      twoPart: twoPartSchema,
    }).superRefine((t, ctx) => {
      const r = tariffDefinitionSchema.safeParse(t);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
    }),
    usage: z.strictObject({
      kwh,
      peakKwh: kwh.nullable().default(null),
      valleyKwh: kwh.nullable().default(null),
      reactiveKvarh: z.number().int("须为整数千乏时").min(0, "不能为负数"),
      capacityKva: z.number().int("须为整数千伏安").positive("须大于 0").nullable().default(null),
      demandKw: demand.nullable().default(null),
    }),
    settings: z.unknown().optional(),
  })
  .superRefine(checkTouSplit)
  .superRefine((v, ctx) => {
    if (v.tariff.twoPart.basis === "capacity" && v.usage.capacityKva === null) {
      ctx.addIssue({ code: "custom", path: ["usage", "capacityKva"], message: "按容量计收基本电费须给出变压器容量" });
    }
    if (v.tariff.twoPart.basis === "demand" && v.usage.demandKw === null) {
      ctx.addIssue({ code: "custom", path: ["usage", "demandKw"], message: "按需量计收基本电费须给出最大需量" });
    }
  });

export function runPriceTwoPart(input: z.infer<typeof priceTwoPartInput>) {
  const tou = input.tariff.timeOfUse !== null;
  const b = computeBill(
    [{ id: 0, effectiveFrom: "1900-01-01", definition: input.tariff }],
    "1900-01-01", "1900-01-01",
    { ...input.usage, peakKwh: tou ? input.usage.peakKwh : null, valleyKwh: tou ? input.usage.valleyKwh : null },
    { householdSize: 1, timeOfUse: tou, priorKwhInYear: 0, capacityKva: input.usage.capacityKva },
  );
  return {
    lines: b.lines.map((l) => ({
      label: l.label, kwh: l.kwh, price: l.price, amount: formatYuan(l.amount),
      ...(l.quantity ? { quantity: l.quantity, unit: l.unit } : {}),
      ...(l.powerFactor ? { powerFactor: l.powerFactor } : {}),
    })),
    total: formatYuan(b.total),
  };
}
