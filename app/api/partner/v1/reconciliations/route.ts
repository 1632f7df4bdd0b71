// POST /api/partner/v1/reconciliations: the partner's daily file (its transactions of a day) set
// against what it posted for that day; answers with the mismatches. Nothing is posted here.
import { NextResponse, type NextRequest } from "next/server";
import { reconcilePartnerDay } from "@/lib/data/partners";
import { reconciliationSchema } from "@/lib/validation/partner";
import { invalid, readJson, withPartner } from "../_shared";

export const dynamic = "force-dynamic";

export async function POST(req: NextRequest) {
  return withPartner(req, async (p) => {
    const b = await readJson(req);
    if (!b.ok) return b.res;
    const input = reconciliationSchema.safeParse(b.body);
    if (!input.success) return invalid(input.error.issues);
    return NextResponse.json(await reconcilePartnerDay(p, input.data.date, input.data.transactions));
  });
}
