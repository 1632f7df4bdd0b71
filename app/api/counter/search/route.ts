// GET /api/counter/search?q=… → { hits, more }: the counter's live search (the page works without
// it too: the form submits ?q= and the server renders the results).
import { NextResponse, type NextRequest } from "next/server";
import { requirePermission } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { searchCustomers } from "@/lib/data/customers";
import { getT } from "@/lib/i18n/server";
import { searchSchema } from "@/lib/validation/customer";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  try {
    const actor = await requirePermission("customers.search");
    // a NUL or other control character is refused by the schema (PostgreSQL would refuse it: a 500)
    const parsed = searchSchema.safeParse({ q: req.nextUrl.searchParams.get("q") ?? "" });
    if (!parsed.success) return NextResponse.json({ error: "INVALID_INPUT", message: (await getT())(parsed.error.issues[0].message) }, { status: 400 });
    const r = await searchCustomers(actor.stationId, parsed.data.q);
    return NextResponse.json(r, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (e instanceof AppError) return NextResponse.json({ error: e.code }, { status: e.code === "AUTH_REQUIRED" ? 401 : 403 });
    console.error("[counter search]", e);
    return NextResponse.json({ error: "GENERIC" }, { status: 500 });
  }
}
