import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { stationInfo } from "@/lib/data/ledger";
import { latestMessages, outboxCounts, printQueue } from "@/lib/data/outbox";
import { pool } from "@/lib/db";
import { deliveryRoute, ELECTRONIC_CHANNELS } from "@/lib/domain/outbox/channels";
import { catalogs } from "@/lib/i18n/catalog";
import { getLocale, getT } from "@/lib/i18n/server";
import { adaptersFromEnv } from "@/lib/outbox/adapters";
import { OUTBOX_CHANNELS, OUTBOX_STATUSES, outboxFilterSchema } from "@/lib/validation/outbox";
import { PrintQueue } from "./_components/print-queue";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("outbox.title") };
}

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;
const TONE: Record<string, BadgeTone> = { PENDING: "info", SENT: "success", FAILED: "danger", SUPPRESSED: "neutral" };

/** The outbox for the manager and the administrator: what went out, what is waiting, what
 *  failed and why, and the print queue of paper notices. */
export default async function OutboxPage({ searchParams }: { searchParams: Search }) {
  const actor = await requirePagePermission("outbox.view");
  const t = await getT();
  const locale = await getLocale();
  const O = catalogs[locale].outbox;
  const sp = await searchParams;
  const q = outboxFilterSchema.safeParse({ status: sp.status, channel: sp.channel });
  const filter = q.success ? q.data : {};
  const [st, counts, rows, paper] = await Promise.all([
    stationInfo(pool, actor.stationId), outboxCounts(actor.stationId), latestMessages(actor.stationId, filter), printQueue(actor.stationId),
  ]);
  const when = (iso: string | null) => formatInstant(iso, st.timezone, locale);
  const channel = (c: string) => (O.channels as Record<string, string>)[c] ?? c;
  const template = (x: string) => (O.templates as Record<string, string>)[x] ?? x;
  const errorText = (e: string | null) => (e ? (O.errors as Record<string, string>)[e.split(":")[0]] ?? e : "");
  const link = (p: { channel?: string; status?: string }) => `/outbox?${new URLSearchParams(p as Record<string, string>)}`;

  // which gateway each electronic channel goes through: say plainly when nothing really leaves
  let adapterNote: { tone: "warning" | "info" | "error"; text: string };
  try {
    const a = adaptersFromEnv();
    const local = ELECTRONIC_CHANNELS.filter((ch) => a[ch].name === "local");
    adapterNote = local.length > 0
      ? { tone: "warning", text: t("outbox.adapter.local", { channels: local.map(channel).join("、") }) }
      : { tone: "info", text: t("outbox.adapter.real", { list: ELECTRONIC_CHANNELS.map((ch) => `${channel(ch)} ${a[ch].name}`).join("，") }) };
  } catch (e) {
    console.error("[outbox]", (e as Error).message);
    adapterNote = { tone: "error", text: t("outbox.adapter.misconfigured") };
  }
  const customerLinks = can(actor.role, "customers.view");

  const byChannel = OUTBOX_CHANNELS.filter((c) => counts.some((x) => x.channel === c));
  const n = (c: string, s?: string) => counts.filter((x) => x.channel === c && (!s || x.status === s)).reduce((a, x) => a + x.n, 0);
  // the whole queue, even past the 500 rows listed
  const paperPending = OUTBOX_CHANNELS.filter((c) => deliveryRoute(c) === "PRINT").reduce((a, c) => a + n(c, "PENDING"), 0);
  return (
    <>
      <PageHeader title={O.title} description={O.description} />
      <Alert tone={adapterNote.tone} className="mb-4" data-testid="outbox-adapter">{adapterNote.text}</Alert>

      <Card>
        <CardHeader title={O.counts.title} />
        <Table data-testid="outbox-counts">
          <THead><tr>
            <Th>{O.counts.channel}</Th>
            {OUTBOX_STATUSES.map((s) => <Th key={s} className="text-right">{O.status[s]}</Th>)}
            <Th className="text-right">{O.counts.total}</Th>
          </tr></THead>
          <TBody>
            {byChannel.map((c) => (
              <Tr key={c} data-testid={`count-${c}`}>
                <Td>{channel(c)} <span className="text-sm text-slate-500">· {O.counts.route[deliveryRoute(c)]}</span></Td>
                {OUTBOX_STATUSES.map((s) => (
                  <Td key={s} numeric data-testid={`count-${c}-${s}`}>
                    {n(c, s) > 0 ? <Link className="text-brand-700 hover:underline" href={link({ channel: c, status: s })}>{n(c, s).toLocaleString()}</Link> : <span className="text-slate-400">0</span>}
                  </Td>
                ))}
                <Td numeric><Link className="text-brand-700 hover:underline" href={link({ channel: c })}>{n(c).toLocaleString()}</Link></Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>

      <Card className="mt-4">
        <CardHeader title={`${O.print.title} (${paperPending.toLocaleString()})`} description={O.print.description} />
        <PrintQueue
          rows={paper.map((p) => ({
            id: p.id, customer: [p.customerNo, p.name].filter(Boolean).join(" "), channel: channel(p.channel), recipient: p.recipient,
            template: template(p.template), notBefore: when(p.notBefore), content: p.content,
          }))}
          labels={{
            selectAll: O.print.selectAll, printSelected: O.print.printSelected, printAll: O.print.printAll, outcome: O.print.outcome,
            delivered: O.print.delivered, undeliverable: O.print.undeliverable, note: O.print.note, notePlaceholder: O.print.notePlaceholder,
            mark: O.print.mark, none: O.print.none, col: O.print.col,
          }}
        />
      </Card>

      <Card className="mt-4">
        <CardHeader title={O.list.title} description={t("outbox.list.shown", { n: rows.length })} />
        <form method="get" className="flex flex-wrap items-end gap-4 px-5 py-3" data-testid="outbox-filter">
          <label className="text-sm font-medium text-slate-700">{O.filter.status}
            <select name="status" defaultValue={filter.status ?? ""} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3">
              <option value="">{O.filter.all}</option>
              {OUTBOX_STATUSES.map((s) => <option key={s} value={s}>{O.status[s]}</option>)}
            </select>
          </label>
          <label className="text-sm font-medium text-slate-700">{O.filter.channel}
            <select name="channel" defaultValue={filter.channel ?? ""} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3">
              <option value="">{O.filter.all}</option>
              {OUTBOX_CHANNELS.map((c) => <option key={c} value={c}>{channel(c)}</option>)}
            </select>
          </label>
          <Button type="submit">{O.filter.apply}</Button>
        </form>
        {!q.success && <div className="px-5 pb-3"><Alert tone="error">{t("errors.INVALID_INPUT")}</Alert></div>}
        {rows.length === 0 ? <CardBody><p className="text-slate-500">{O.list.none}</p></CardBody> : (
          <Table data-testid="outbox-list">
            <THead><tr>
              {(["createdAt", "customer", "channel", "recipient", "template", "status", "attempts", "notBefore", "sentAt", "error"] as const).map((k) => (
                <Th key={k} className={k === "attempts" ? "text-right" : undefined}>{O.list.col[k]}</Th>
              ))}
            </tr></THead>
            <TBody>
              {rows.map((m) => (
                <Tr key={m.id} data-testid={`message-${m.id}`}>
                  <Td className="tabular text-sm whitespace-nowrap">{when(m.createdAt)}</Td>
                  <Td>{m.customerId && customerLinks ? <Link className="font-mono text-brand-700 hover:underline" href={`/counter/customers/${m.customerId}`}>{m.customerNo}</Link> : m.customerNo ?? "—"}</Td>
                  <Td className="whitespace-nowrap">{channel(m.channel)}</Td>
                  <Td className="font-mono text-sm" data-testid={`message-${m.id}-recipient`}>{m.recipientMasked}</Td>
                  <Td className="whitespace-nowrap">{template(m.template)}</Td>
                  <Td><Badge tone={TONE[m.status] ?? "neutral"}>{(O.status as Record<string, string>)[m.status] ?? m.status}</Badge></Td>
                  <Td numeric>{m.attempts}</Td>
                  <Td className="tabular text-sm whitespace-nowrap">{when(m.notBefore)}</Td>
                  <Td className="tabular text-sm whitespace-nowrap">{when(m.sentAt)}</Td>
                  <Td className="text-sm text-slate-600" title={m.error ?? undefined}>{errorText(m.error)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
