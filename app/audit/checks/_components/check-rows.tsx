"use client";
// The rows of a check, exceptions first, a page at a time (keyset cursor through the server
// action); a missed reading the reader recorded can be sent to catch-up reading or estimated.
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { makeClientT, type Messages } from "@/components/reader/messages";
import type { CheckRowDTO, Cursor } from "@/lib/data/reading-checks";
import { decideMissed, loadCheckRows } from "../actions";

const tone = { ON_TIME: "success", OFF_DAY: "warning", ESTIMATED: "info", NOT_TAKEN: "danger" } as const;

export function CheckRows({ rows: first, next: firstNext, query, messages, canDecide, timeZone }: {
  rows: CheckRowDTO[]; next: Cursor | null; query: { period: string; scope: string; filter: string };
  messages: Messages; canDecide: boolean; timeZone: string;
}) {
  const t = makeClientT(messages);
  const [rows, setRows] = useState(first);
  const [next, setNext] = useState(first.length ? firstNext : null);
  const [notes, setNotes] = useState<Record<number, { ok: boolean; text: string }>>({});
  const [pending, start] = useTransition();
  const fmt = (iso: string | null) => iso ? new Intl.DateTimeFormat("zh-CN", { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(iso)) : "—";

  const more = () => start(async () => {
    const r = await loadCheckRows({ ...query, after: next });
    if (r.status === "ok" && r.data) {
      setRows((cur) => [...cur, ...r.data!.rows]);
      setNext(r.data.next);
    }
  });

  const decide = (row: CheckRowDTO, choice: "CATCH_UP" | "ESTIMATE") => start(async () => {
    const r = await decideMissed({ readingId: row.readingId, choice });
    setNotes((n) => ({
      ...n,
      [row.customerId]: r.status === "ok" && r.data
        ? { ok: true, text: r.data.choice === "CATCH_UP" ? t("checks.decidedCatchUp", { date: r.data.visitOn }) : t("checks.decidedEstimate") }
        : { ok: false, text: r.message ?? "" },
    }));
  });

  const reasonLabel = (code: string) => {
    for (const k of [`missed.${code}`, `confirm.${code}`]) if (t(k) !== k) return t(k);
    return code;
  };

  if (rows.length === 0) return <p className="px-5 py-6 text-slate-500">{t("checks.noRows")}</p>;
  return (
    <>
      <Table data-testid="check-rows">
        <THead>
          <tr>
            <Th>{t("checks.customerNo")}</Th><Th>{t("checks.customer")}</Th><Th>{t("checks.phone")}</Th><Th>{t("checks.scopeRoute")}</Th>
            <Th>{t("checks.scheduled")}</Th><Th>{t("checks.readAt")}</Th><Th className="text-right">{t("checks.deviation")}</Th>
            <Th>{t("checks.status")}</Th><Th>{t("checks.reason")}</Th>{canDecide && <Th>{t("checks.missedAction")}</Th>}
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <Tr key={r.customerId}>
              <Td className="tabular">{r.customerNo}</Td>
              <Td className="whitespace-nowrap">{r.name}</Td>
              <Td className="tabular whitespace-nowrap text-slate-600">{r.phone}</Td>
              <Td>{r.routeCode}</Td>
              <Td className="tabular whitespace-nowrap">{r.scheduledOn}</Td>
              <Td className="tabular whitespace-nowrap">{fmt(r.readAt)}</Td>
              <Td numeric>{r.deviation === null ? "—" : r.deviation > 0 ? `+${r.deviation}` : r.deviation}</Td>
              <Td className="whitespace-nowrap">
                <Badge tone={tone[r.status]}>{t(`status.${r.status}`)}</Badge>
                {r.estimateException && <Badge tone="danger" className="ml-1">{t("checks.estimateExceptions")} ×{r.estimateRun}</Badge>}
              </Td>
              <Td className="whitespace-nowrap text-sm text-slate-600">
                {r.reasonCode ? reasonLabel(r.reasonCode) : ""}
                {r.source && r.status !== "NOT_TAKEN" ? ` ${t(`source.${r.source}`)}` : ""}
              </Td>
              {canDecide && (
                <Td>
                  {notes[r.customerId] ? (
                    <span className={notes[r.customerId].ok ? "text-emerald-700" : "text-red-700"} role="status">{notes[r.customerId].text}</span>
                  ) : r.status === "NOT_TAKEN" && r.readingId ? (
                    <div className="flex gap-2">
                      <Button size="sm" variant="secondary" disabled={pending} onClick={() => decide(r, "CATCH_UP")}>{t("checks.catchUp")}</Button>
                      <Button size="sm" variant="secondary" disabled={pending} onClick={() => decide(r, "ESTIMATE")}>{t("checks.estimate")}</Button>
                    </div>
                  ) : null}
                </Td>
              )}
            </Tr>
          ))}
        </TBody>
      </Table>
      {next && (
        <div className="px-5 py-4">
          <Button variant="secondary" disabled={pending} onClick={more}>{t("checks.more")}</Button>
        </div>
      )}
    </>
  );
}
