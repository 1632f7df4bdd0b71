// The tablet's offline queue posts here (a server action cannot be replayed safely from a
// queue). Same guard as the reader's actions; idempotent: every item carries a client key, and
// an item already stored answers "duplicate", so a batch re-sent after a lost answer, or sent
// twice at once, leaves exactly one reading per item.
import { NextResponse } from "next/server";
import { requirePermission } from "@/lib/auth/guard";
import { errorResult } from "@/lib/actions";
import { getT } from "@/lib/i18n/server";
import { recordReadings } from "@/lib/data/readings";
import { syncBatchSchema } from "@/lib/validation/reading";
import { CONTROL_CHARS_MESSAGE, controlCharPaths } from "@/lib/validation/input";
import { describeSyncResult } from "@/lib/domain/readings/describe";

export async function POST(req: Request) {
  const t = await getT();
  try {
    const actor = await requirePermission("readings.record");
    const body = await req.json().catch(() => null);
    if (controlCharPaths(body).length > 0) return NextResponse.json({ status: "invalid", message: t(CONTROL_CHARS_MESSAGE) }, { status: 400 });
    const parsed = syncBatchSchema.safeParse(body);
    if (!parsed.success) {
      return NextResponse.json({ status: "invalid", message: t(parsed.error.issues[0]?.message ?? "errors.INVALID_INPUT") }, { status: 400 });
    }
    const results = await recordReadings(actor, parsed.data.items);
    return NextResponse.json({ status: "ok", results: results.map((r) => describeSyncResult(r, t)) });
  } catch (e) {
    const r = errorResult(e, t);
    const status = r.code === "AUTH_REQUIRED" ? 401 : r.code === "FORBIDDEN" ? 403 : 500;
    return NextResponse.json(r, { status });
  }
}
