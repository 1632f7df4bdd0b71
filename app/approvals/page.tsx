import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { DecisionForm } from "@/components/counter/decision-form";
import { approvalsLabels, fill } from "@/components/counter/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { APPROVAL_HANDLERS, listApprovals, type ApprovalRow } from "@/lib/data/approvals";
import { stationInfo } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("approvals.title") };
}

/** What the request is about, by kind (generic: an unknown kind shows its payload). */
function detail(a: ApprovalRow, A: Awaited<ReturnType<typeof approvalsLabels>>) {
  const tpl = (A.detail as Record<string, string>)[a.kind];
  const p = Object.fromEntries(Object.entries(a.payload).map(([k, v]) => [k, String(v)]));
  return tpl ? fill(tpl, p) : JSON.stringify(a.payload);
}

function target(a: ApprovalRow) {
  if (a.kind === "REVERSE_PAYMENT") return <Link className="font-mono text-brand-700 hover:underline" href={`/counter/receipts/${a.targetId}`}>{String(a.payload.receiptNo ?? a.targetId)}</Link>;
  if (a.payload.customerId) return <Link className="text-brand-700 hover:underline" href={`/counter/customers/${a.payload.customerId}`}>{a.targetType} #{a.targetId}</Link>;
  return `${a.targetType} #${a.targetId}`;
}

export default async function ApprovalsPage() {
  const actor = await requirePagePermission("approvals.decide");
  const [A, locale, st] = [await approvalsLabels(), await getLocale(), await stationInfo(pool, actor.stationId)];
  const [pending, decided] = await Promise.all([listApprovals(actor.stationId, "PENDING"), listApprovals(actor.stationId, "DECIDED")]);
  const kind = (k: string) => (A.kinds as Record<string, string>)[k] ?? k;
  return (
    <>
      <PageHeader title={A.title} description={A.subtitle} />
      <Card>
        <CardHeader title={`${A.pending} (${pending.length})`} />
        {pending.length === 0 ? <CardBody><p className="text-slate-500" data-testid="approvals-empty">{A.none}</p></CardBody> : (
          <Table data-testid="approvals-pending">
            <THead><tr><Th>{A.col.kind}</Th><Th>{A.col.target}</Th><Th>{A.col.detail}</Th><Th>{A.col.reason}</Th><Th>{A.col.requestedBy}</Th><Th>{A.col.requestedAt}</Th><Th>{A.col.actions}</Th></tr></THead>
            <TBody>
              {pending.map((a) => (
                <Tr key={a.id} data-testid="approval-row">
                  <Td><Badge tone="warning">{kind(a.kind)}</Badge></Td>
                  <Td>{target(a)}</Td>
                  <Td className="text-sm">
                    {detail(a, A)}
                    {a.kind === "ACCOUNT_CLOSURE" && <> <Link className="text-brand-700 hover:underline" href={`/audit/closures#c${a.targetId}`}>{A.closureSteps}</Link></>}
                  </Td>
                  <Td className="text-sm">{a.reason}</Td>
                  <Td>{a.requestedBy}</Td>
                  <Td className="tabular text-sm">{formatInstant(a.requestedAt, st.timezone, locale)}</Td>
                  <Td>{a.kind in APPROVAL_HANDLERS ? <DecisionForm id={a.id} labels={A} /> : <span className="text-sm text-slate-500">{A.unknownKind}</span>}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <Card className="mt-4">
        <CardHeader title={A.decided} />
        {decided.length === 0 ? <CardBody><p className="text-slate-500">{A.noneDecided}</p></CardBody> : (
          <Table>
            <THead><tr><Th>{A.col.kind}</Th><Th>{A.col.target}</Th><Th>{A.col.detail}</Th><Th>{A.col.reason}</Th><Th>{A.col.requestedBy}</Th><Th>{A.col.status}</Th><Th>{A.col.decidedBy}</Th></tr></THead>
            <TBody>
              {decided.map((a) => (
                <Tr key={a.id} data-testid={`approval-decided-${a.id}`}>
                  <Td>{kind(a.kind)}</Td><Td>{target(a)}</Td><Td className="text-sm">{detail(a, A)}</Td><Td className="text-sm">{a.reason}</Td><Td>{a.requestedBy}</Td>
                  <Td><Badge tone={a.status === "APPROVED" ? "success" : "neutral"}>{(A.status as Record<string, string>)[a.status] ?? a.status}</Badge></Td>
                  <Td className="text-sm">{a.decidedBy} {a.decidedAt ? formatInstant(a.decidedAt, st.timezone, locale) : ""}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
