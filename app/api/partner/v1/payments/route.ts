// POST /api/partner/v1/payments: a payment collected by the partner. The partner's transactionId is
// the idempotency key: a retry returns the first payment (200, duplicate: true), never a second one.
import { NextResponse, type NextRequest } from "next/server";
import { formatYuan } from "@/lib/domain/money";
import { partnerPay } from "@/lib/data/partners";
import { partnerPaymentSchema } from "@/lib/validation/partner";
import { invalid, readJson, withPartner } from "../_shared";

export const dynamic = "force-dynamic";

export async function POST(req: NextRequest) {
  return withPartner(req, async (p) => {
    const b = await readJson(req);
    if (!b.ok) return b.res;
    const input = partnerPaymentSchema.safeParse(b.body);
    if (!input.success) return invalid(input.error.issues);
    const r = await partnerPay(p, input.data);
    return NextResponse.json(
      { transactionId: input.data.transactionId, paymentId: r.paymentId, receiptNo: r.receiptNo, amount: formatYuan(r.amount), valueDate: r.valueDate, duplicate: r.duplicate, toPrepaid: formatYuan(r.toPrepaid) },
      { status: r.duplicate ? 200 : 201 },
    );
  });
}
