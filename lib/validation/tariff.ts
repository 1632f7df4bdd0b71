// The tariff-version form: flat FormData fields → a TariffVersion definition validated by the
// one domain schema (lib/domain/billing/tariff.ts). Messages are catalog keys
// (tariffs.validation.*), translated by runAction; field names are the form's.
import { z } from "zod";
import { CustomerCategory } from "@/generated/prisma/enums";
import { isIsoDate } from "@/lib/domain/calendar";
import { TIER_MESSAGES, tariffDefinitionSchema, type TariffDefinition } from "@/lib/domain/billing/tariff";
import { numeric, numericText } from "./input";

const V = "tariffs.validation.";
export const MAX_TIERS = 5;

const text = (max: number) => z.string().trim().max(max, { error: V + "tooLong" });
// every definition field is a number (limits, prices, kWh) or a checkbox/choice: read as numbers are
const opt = numericText(z.string()).optional().default("");

/** Form field names for each tier row: tier0Upto / tier0Price … */
export const tierField = (i: number, part: "Upto" | "Price") => `tier${i}${part}`;

const tierFields = Object.fromEntries(
  Array.from({ length: MAX_TIERS }, (_, i) => [[tierField(i, "Upto"), opt], [tierField(i, "Price"), opt]]).flat(),
) as Record<string, typeof opt>;

const definitionFields = {
  tierBasis: z.enum(["monthly", "annual"], { error: V + "tierBasis" }),
  largeHouseholdExtraKwh: opt,
  touEnabled: opt,
  touPeak: opt,
  touValley: opt,
  twoPartEnabled: opt,
  twoPartBasis: opt,
  capacityPrice: opt,
  demandPrice: opt,
  powerFactorStandard: opt,
  ...tierFields,
};

type Flat = { [K in keyof typeof definitionFields]: string };

const INT_RE = /^\d{1,9}$/;

/** Builds the definition from the flat fields, reporting problems against the form's names. */
function buildDefinition(f: Flat, ctx: z.RefinementCtx): TariffDefinition | null {
  const tiers: { upToKwh: number | null; price: string }[] = [];
  const rowOf: number[] = []; // tier index → form row
  for (let i = 0; i < MAX_TIERS; i++) {
    const upto = f[tierField(i, "Upto") as keyof Flat];
    const price = f[tierField(i, "Price") as keyof Flat];
    if (!upto && !price) continue;
    if (upto && !INT_RE.test(upto)) ctx.addIssue({ code: "custom", path: [tierField(i, "Upto")], message: V + "tierLimit" });
    tiers.push({ upToKwh: upto ? Number(upto) : null, price });
    rowOf.push(i);
  }
  if (tiers.length === 0) {
    ctx.addIssue({ code: "custom", path: [tierField(0, "Price")], message: V + "tiersRequired" });
    return null;
  }
  const extra = f.largeHouseholdExtraKwh;
  if (extra && !INT_RE.test(extra)) ctx.addIssue({ code: "custom", path: ["largeHouseholdExtraKwh"], message: V + "extraKwh" });
  const def: Record<string, unknown> = {
    tiers,
    tierBasis: f.tierBasis,
    timeOfUse: f.touEnabled ? { peak: f.touPeak, valley: f.touValley } : null,
  };
  if (extra && INT_RE.test(extra) && Number(extra) > 0) def.largeHouseholdExtraKwh = Number(extra);
  if (f.twoPartEnabled) {
    def.twoPart = {
      basis: f.twoPartBasis,
      capacityPrice: f.capacityPrice,
      demandPrice: f.demandPrice,
      powerFactorStandard: f.powerFactorStandard,
    };
  }
  const r = tariffDefinitionSchema.safeParse(def);
  if (r.success) return r.data as TariffDefinition;
  for (const issue of r.error.issues) {
    const [head, idx, leaf] = issue.path as (string | number)[];
    if (head === "tiers" && typeof idx === "number") {
      const row = rowOf[idx] ?? 0;
      const limit = leaf === "upToKwh";
      ctx.addIssue({
        code: "custom",
        path: [tierField(row, limit ? "Upto" : "Price")],
        message: V + (limit ? (issue.message === TIER_MESSAGES.ascending ? "tierAscending" : "tierOpenEnd") : "price"),
      });
    } else if (head === "timeOfUse") {
      ctx.addIssue({ code: "custom", path: [idx === "valley" ? "touValley" : "touPeak"], message: V + "price" });
    } else if (head === "twoPart") {
      const field = idx === "basis" ? "twoPartBasis" : String(idx);
      ctx.addIssue({ code: "custom", path: [field], message: V + (idx === "basis" || idx === "powerFactorStandard" ? "choose" : "price") });
    } else {
      ctx.addIssue({ code: "custom", path: [String(head ?? "_")], message: V + "definition" });
    }
  }
  return null;
}

const effectiveFrom = numericText(z.string().refine(isIsoDate, { error: V + "date" }), V + "date");

export const addTariffVersionSchema = z
  .object({
    tariffId: numeric(z.coerce.number({ error: V + "tariff" }).int().positive({ error: V + "tariff" })),
    effectiveFrom,
    source: text(500).optional().default(""),
    ...definitionFields,
  })
  .transform((f, ctx) => {
    const definition = buildDefinition(f as unknown as Flat, ctx);
    if (!definition) return z.NEVER;
    return { tariffId: f.tariffId, effectiveFrom: f.effectiveFrom, source: f.source || null, definition };
  });
export type AddTariffVersionInput = z.infer<typeof addTariffVersionSchema>;

export const updateTariffVersionSchema = z
  .object({
    versionId: numeric(z.coerce.number({ error: V + "version" }).int().positive({ error: V + "version" })),
    effectiveFrom,
    source: text(500).optional().default(""),
    ...definitionFields,
  })
  .transform((f, ctx) => {
    const definition = buildDefinition(f as unknown as Flat, ctx);
    if (!definition) return z.NEVER;
    return { versionId: f.versionId, effectiveFrom: f.effectiveFrom, source: f.source || null, definition };
  });
export type UpdateTariffVersionInput = z.infer<typeof updateTariffVersionSchema>;

export const createTariffSchema = z
  .object({
    code: z.string({ error: V + "code" }).trim().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, { error: V + "code" }),
    name: z.string({ error: V + "name" }).trim().min(1, { error: V + "name" }).max(60, { error: V + "name" }),
    category: z.enum(Object.values(CustomerCategory) as [CustomerCategory, ...CustomerCategory[]], { error: V + "category" }),
    effectiveFrom,
    source: text(500).optional().default(""),
    ...definitionFields,
  })
  .transform((f, ctx) => {
    const definition = buildDefinition(f as unknown as Flat, ctx);
    if (!definition) return z.NEVER;
    return { code: f.code, name: f.name, category: f.category, effectiveFrom: f.effectiveFrom, source: f.source || null, definition };
  });
export type CreateTariffInput = z.infer<typeof createTariffSchema>;

/** A definition back into the form's flat fields (to prefill "new version" from the latest). */
export function definitionToFields(d: TariffDefinition): Record<string, string> {
  const out: Record<string, string> = {
    tierBasis: d.tierBasis,
    largeHouseholdExtraKwh: d.largeHouseholdExtraKwh ? String(d.largeHouseholdExtraKwh) : "",
    touEnabled: d.timeOfUse ? "on" : "",
    touPeak: d.timeOfUse?.peak ?? "",
    touValley: d.timeOfUse?.valley ?? "",
    twoPartEnabled: d.twoPart ? "on" : "",
    twoPartBasis: d.twoPart?.basis ?? "capacity",
    capacityPrice: d.twoPart?.capacityPrice ?? "",
    demandPrice: d.twoPart?.demandPrice ?? "",
    powerFactorStandard: d.twoPart?.powerFactorStandard ?? "0.90",
  };
  d.tiers.forEach((t, i) => {
    out[tierField(i, "Upto")] = t.upToKwh === null ? "" : String(t.upToKwh);
    out[tierField(i, "Price")] = t.price;
  });
  return out;
}
