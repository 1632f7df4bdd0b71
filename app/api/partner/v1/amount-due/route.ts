// GET /api/partner/v1/amount-due?customerNo=… | ?paymentNo=… : what settles the account today.
import { NextResponse, type NextRequest } from "next/server";
import { partnerAmountDue } from "@/lib/data/partners";
import { amountDueQuerySchema } from "@/lib/validation/partner";
import { invalid, refuseControlChars, withPartner } from "../_shared";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  return withPartner(req, async (p) => {
    const query = Object.fromEntries(req.nextUrl.searchParams);
    const refused = refuseControlChars(query);
    if (refused) return refused;
    const q = amountDueQuerySchema.safeParse(query);
    if (!q.success) return invalid(q.error.issues);
    return NextResponse.json(await partnerAmountDue(p, q.data), { headers: { "cache-control": "no-store" } });
  });
}
