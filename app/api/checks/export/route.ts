// Excel export of a reading-day check (same guard as the page). Streamed: the workbook is
// written row by row (exceljs streaming writer) while rows are fetched through a cursor, so a
// whole station does not sit in memory. Phones are masked (personal data: docs/domain/overview.md §4).
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { NextResponse } from "next/server";
import { requirePermission } from "@/lib/auth/guard";
import { errorResult } from "@/lib/actions";
import { getT } from "@/lib/i18n/server";
import { runReadingChecks, streamCheckRows } from "@/lib/data/reading-checks";
import { stationContext } from "@/lib/data/routes";
import { prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { checksQuerySchema } from "@/lib/validation/reading";
import { localDate } from "@/lib/domain/calendar";

export const maxDuration = 300;

export async function GET(req: Request) {
  const t = await getT();
  try {
    const actor = await requirePermission("readings.checks");
    const u = new URL(req.url);
    const q = checksQuerySchema.safeParse({ period: u.searchParams.get("period") ?? "", scope: u.searchParams.get("scope") ?? "station" });
    if (!q.success) return NextResponse.json({ status: "invalid", message: t("errors.INVALID_INPUT") }, { status: 400 });
    const { period, scope } = q.data;
    const ctx = await stationContext(actor.stationId);
    const summary = await runReadingChecks(actor.stationId, period, scope, { limit: 1 });
    // an export of personal data (masked) is still a logged action
    await prisma.$transaction((tx) => writeAudit(tx, { stationId: actor.stationId, actorId: actor.id, action: "readings.checksExport", targetType: "period", targetId: period, after: { scope } }));

    const out = new PassThrough();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
    const pct = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);
    const c = (k: string) => t(`readings.checks.${k}`);
    const reader = (id: number | null, name: string | null) => (id === null ? c("remoteReader") : name ?? "");

    (async () => {
      const s1 = wb.addWorksheet(c("sheetSummary"));
      s1.addRow([c("period"), period]).commit();
      for (const k of ["due", "taken", "onTime", "estimated", "notTaken", "estimateExceptions"] as const) s1.addRow([c(k), summary.total[k]]).commit();
      s1.addRow([c("completionRate"), pct(summary.total.completionRate)]).commit();
      s1.addRow([c("onTimeRate"), pct(summary.total.onTimeRate)]).commit();
      await s1.commit();

      const s2 = wb.addWorksheet(c("sheetRoutes"));
      s2.addRow([c("scopeRoute"), "", c("scopeReader"), c("scheduled"), c("actualDay"), c("due"), c("taken"), c("onTime"), c("estimated"),
        c("notTaken"), c("estimateExceptions"), c("completionRate"), c("onTimeRate"), c("offDay"), c("window"), c("shortWindow")]).commit();
      for (const r of summary.routes) {
        s2.addRow([r.code, r.name, reader(r.readerId, r.readerName), r.scheduledOn, r.actualDay, r.due, r.taken, r.onTime, r.estimated,
          r.notTaken, r.estimateExceptions, pct(r.completionRate), pct(r.onTimeRate), r.offDayWithoutApproval ? "✔" : "",
          r.window.windowDays, r.window.short ? "✔" : ""]).commit();
      }
      await s2.commit();

      const s3 = wb.addWorksheet(c("sheetReaders"));
      s3.addRow([c("scopeReader"), c("routes"), c("due"), c("taken"), c("onTime"), c("estimated"), c("notTaken"), c("completionRate"), c("onTimeRate")]).commit();
      for (const r of summary.readers) {
        s3.addRow([reader(r.readerId, r.readerName), r.routes, r.due, r.taken, r.onTime, r.estimated, r.notTaken, pct(r.completionRate), pct(r.onTimeRate)]).commit();
      }
      await s3.commit();

      const s4 = wb.addWorksheet(c("sheetDetails"));
      s4.addRow([c("customerNo"), c("customer"), c("phone"), c("scopeRoute"), c("scheduled"), c("readAt"), c("deviation"), c("status"),
        c("source"), c("reason"), c("run2")]).commit();
      for await (const batch of streamCheckRows(actor.stationId, period, scope)) {
        for (const r of batch) {
          const readAt = r.readAt ? `${localDate(new Date(r.readAt), ctx.timezone)} ${new Date(r.readAt).toLocaleTimeString("zh-CN", { timeZone: ctx.timezone, hour12: false })}` : "";
          s4.addRow([r.customerNo, r.name, r.phone, r.routeCode, r.scheduledOn, readAt, r.deviation, t(`readings.status.${r.status}`),
            r.source ? t(`readings.source.${r.source}`) : "", r.reasonCode ?? "", r.estimateRun || null]).commit();
        }
      }
      await s4.commit();
      await wb.commit();
    })().catch((e) => {
      console.error("[checks export] failed", e);
      out.destroy(e as Error);
    });

    const name = encodeURIComponent(`${c("title")}-${period}.xlsx`);
    return new Response(Readable.toWeb(out) as unknown as ReadableStream, {
      headers: {
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-disposition": `attachment; filename="checks-${period}.xlsx"; filename*=UTF-8''${name}`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    const r = errorResult(e, t);
    return NextResponse.json(r, { status: r.code === "AUTH_REQUIRED" ? 401 : r.code === "FORBIDDEN" ? 403 : 500 });
  }
}
