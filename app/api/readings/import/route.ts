// Collected readings file upload: the raw CSV is the request body (streamed, never held in
// memory whole), the file name travels in x-file-name. Same guard as the page.
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { NextResponse } from "next/server";
import { requirePermission } from "@/lib/auth/guard";
import { errorResult } from "@/lib/actions";
import { getT } from "@/lib/i18n/server";
import { importCollectedReadings } from "@/lib/data/imports";
import { importFileNameSchema } from "@/lib/validation/import";

export const maxDuration = 300;

export async function POST(req: Request) {
  const t = await getT();
  try {
    const actor = await requirePermission("readings.import");
    const name = importFileNameSchema.safeParse(decodeURIComponent(req.headers.get("x-file-name") ?? ""));
    if (!name.success || !req.body) {
      return NextResponse.json({ status: "invalid", message: t("readings.validation.file") }, { status: 400 });
    }
    const report = await importCollectedReadings(actor, { name: name.data, stream: Readable.fromWeb(req.body as unknown as NodeWebStream) });
    const message = report.message
      ? t(`errors.${report.message.code}`, report.message.params)
      : t("readings.imports.ok", { accepted: report.accepted });
    return NextResponse.json({ status: report.status === "IMPORTED" ? "ok" : "refused", message, report });
  } catch (e) {
    const r = errorResult(e, t);
    return NextResponse.json(r, { status: r.code === "AUTH_REQUIRED" ? 401 : r.code === "FORBIDDEN" ? 403 : 500 });
  }
}
