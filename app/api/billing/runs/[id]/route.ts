// Progress of one billing run for the page's progress bar (polled every second).
// GET only, JSON, the same guard as every data read; errors as the one error contract.
import { NextResponse } from "next/server";
import { requirePermission } from "@/lib/auth/guard";
import { runProgress } from "@/lib/data/billing";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const actor = await requirePermission("billing.run");
    const id = Number((await ctx.params).id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError("NOT_FOUND");
    const p = await runProgress(actor, id);
    return NextResponse.json(p, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (e instanceof AppError) {
      const status = e.code === "AUTH_REQUIRED" ? 401 : e.code === "FORBIDDEN" ? 403 : 404;
      return NextResponse.json({ code: e.code }, { status });
    }
    console.error("[billing] progress", e);
    return NextResponse.json({ code: "GENERIC" }, { status: 500 });
  }
}
