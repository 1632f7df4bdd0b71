// GET /api/counter/bank/export?month=YYYY-MM → the month's debit file (CSV, UTF-8 with BOM for Excel).
import { NextResponse, type NextRequest } from "next/server";
import { requirePermission } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { exportDebitFile } from "@/lib/data/bank";
import { auditRaw, withTx } from "@/lib/data/ledger";
import { bankExportSchema } from "@/lib/validation/bank";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  try {
    const actor = await requirePermission("payments.importBank");
    const p = bankExportSchema.safeParse({ month: req.nextUrl.searchParams.get("month") ?? "" });
    if (!p.success) return NextResponse.json({ error: "INVALID_INPUT", message: p.error.issues[0].message }, { status: 400 });
    const f = await exportDebitFile(actor.stationId, p.data.month);
    await withTx((c) => auditRaw(c, { stationId: actor.stationId, actorId: actor.id, action: "bank.export", targetType: "bank_debit", targetId: p.data.month, after: { rows: f.rows, total: f.total } }));
    return new NextResponse(`\uFEFF${f.csv}`, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${f.fileName}"`, "cache-control": "no-store" },
    });
  } catch (e) {
    if (e instanceof AppError) return NextResponse.json({ error: e.code }, { status: e.code === "AUTH_REQUIRED" ? 401 : 403 });
    console.error("[bank export]", e);
    return NextResponse.json({ error: "GENERIC" }, { status: 500 });
  }
}
