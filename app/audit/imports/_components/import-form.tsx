"use client";
// Uploads the file as the request body (streamed by the server into COPY) and shows the report:
// either how many rows went in, or why the file was refused, row by row.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { makeClientT, type Messages } from "@/components/reader/messages";
import type { ImportReport } from "@/lib/data/imports";

type Answer = { status: string; message: string; report?: ImportReport };

export function ImportForm({ messages }: { messages: Messages }) {
  const t = makeClientT(messages);
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const router = useRouter();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const f = file.current?.files?.[0];
    if (!f) return setAnswer({ status: "invalid", message: t("imports.file") });
    setBusy(true);
    setAnswer(null);
    try {
      const res = await fetch("/api/readings/import", {
        method: "POST",
        headers: { "content-type": "text/csv", "x-file-name": encodeURIComponent(f.name) },
        body: f,
      });
      setAnswer((await res.json()) as Answer);
      router.refresh();
    } catch {
      setAnswer({ status: "error", message: "—" });
    } finally {
      setBusy(false);
    }
  }

  const r = answer?.report;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="flex flex-wrap items-end gap-4">
        <label className="block text-sm font-medium text-slate-700">
          {t("imports.file")}
          <input ref={file} name="file" type="file" accept=".csv,text/csv,.txt" data-testid="import-file"
            className="mt-1 block w-full text-base file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-4 file:py-2" />
        </label>
        <Button type="submit" disabled={busy} data-testid="import-submit">{busy ? t("imports.uploading") : t("imports.submit")}</Button>
      </div>
      <p className="text-sm text-slate-500">{t("imports.columns")}</p>
      {answer && (
        <Alert tone={answer.status === "ok" ? "success" : "error"} data-testid="import-result">
          {answer.message}
          {r && <span className="ml-2 text-sm opacity-80">{t("imports.seconds", { s: r.seconds })}</span>}
        </Alert>
      )}
      {r && r.errors.length > 0 && (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">
            {t("imports.byCode")}：{Object.entries(r.byCode).map(([c, n]) => `${t(`imports.code.${c}`)} ${n}`).join("；")}
          </p>
          <Table data-testid="import-errors">
            <THead><tr><Th>{t("imports.line")}</Th><Th>{t("imports.meterNo")}</Th><Th>{t("imports.problem")}</Th></tr></THead>
            <TBody>
              {r.errors.map((e) => (
                <Tr key={`${e.line}-${e.code}`}><Td numeric>{e.line}</Td><Td>{e.meterNo}</Td><Td>{t(`imports.code.${e.code}`)}</Td></Tr>
              ))}
            </TBody>
          </Table>
          {r.errors.length < r.rejected && <p className="text-sm text-slate-500">{t("imports.shown", { n: r.errors.length })}</p>}
        </div>
      )}
    </form>
  );
}
