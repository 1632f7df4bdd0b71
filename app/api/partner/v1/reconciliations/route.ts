// POST /api/partner/v1/reconciliations: the partner's daily file (its transactions of a day) set
// against what it posted for that day; answers with the mismatches. Nothing is posted here.
// Body: JSON { date, transactions: [{ transactionId, amount }] }, or the file itself as text/csv
// (header transaction_id,amount) with ?date=YYYY-MM-DD.
import { NextResponse, type NextRequest } from "next/server";
import { parse } from "csv-parse/sync";
import { reconcilePartnerDay } from "@/lib/data/partners";
import { reconciliationSchema } from "@/lib/validation/partner";
import { apiError, invalid, readJson, refuseControlChars, withPartner } from "../_shared";

export const dynamic = "force-dynamic";

async function csvBody(req: NextRequest): Promise<{ ok: true; body: unknown } | { ok: false; res: NextResponse }> {
  const text = (await req.text()).replace(/^\uFEFF/, "");
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    return { ok: false, res: apiError("INVALID_INPUT", `CSV 格式错误（第 ${(e as { lines?: number }).lines ?? "?"} 行）。`) };
  }
  const body = { date: req.nextUrl.searchParams.get("date") ?? "", transactions: rows.map((r) => ({ transactionId: r.transaction_id ?? "", amount: r.amount ?? "" })) };
  const refused = refuseControlChars(body);
  return refused ? { ok: false, res: refused } : { ok: true, body };
}

export async function POST(req: NextRequest) {
  return withPartner(req, async (p) => {
    const isCsv = (req.headers.get("content-type") ?? "").includes("text/csv");
    const b = isCsv ? await csvBody(req) : await readJson(req);
    if (!b.ok) return b.res;
    const input = reconciliationSchema.safeParse(b.body);
    if (!input.success) return invalid(input.error.issues);
    return NextResponse.json(await reconcilePartnerDay(p, input.data.date, input.data.transactions));
  });
}
