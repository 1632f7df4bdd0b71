// Bulk loading: one connection and one COPY … FROM STDIN per table, all open at once, fed by
// the generator's single pass over the customers. Each table's load is one transaction that
// drops the table's secondary indexes first and rebuilds them after the COPY (a crash rolls
// the drop back with the data, so the schema is never left without its indexes). Measured at
// 100,000 customers: maintaining the indexes during the COPY cost 20% more server CPU than
// rebuilding them by sort afterwards, even though most keys arrive in order.
// Tables nothing references are truncated in the same transaction so COPY can FREEZE the
// rows (no hint-bit rewrite and no freeze vacuum of the whole table later).
// FK triggers are off for these sessions (session_replication_role = replica): the rows of a
// customer arrive on different connections in parallel, and the generator assigns every id
// itself; the integration test checks the references instead.
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Writable } from "node:stream";
import { BinSink } from "./copy-binary";

export type TableSpec = {
  table: string;
  columns: readonly string[];
  /** COPY in binary format (a BinSink) instead of text */
  binary?: boolean;
};

const FLUSH_AT = 1 << 15; // characters buffered per table before a write

export class Sink {
  rows = 0;
  private buf = "";
  pending: Promise<void> | null = null;
  error: Error | null = null;
  constructor(readonly table: string, readonly stream: Writable) {
    stream.on("error", (e: Error) => { this.error ??= e; });
  }

  push(line: string) {
    // one growing string (V8 concatenates without copying) flushed often, so rows die young
    this.buf += line;
    this.rows++;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  flush() {
    if (this.buf.length === 0) return;
    const chunk = Buffer.from(this.buf, "utf8");
    this.buf = "";
    if (!this.stream.write(chunk) && !this.pending) {
      this.pending = new Promise((resolve) => this.stream.once("drain", () => { this.pending = null; resolve(); }));
    }
  }
}

type Open = { spec: TableSpec; client: pg.Client; sink: Sink | BinSink; indexes: string[]; done: Promise<void> };

/** Text-format COPY field: NULL as \N; the generator's strings carry no tabs, newlines or backslashes. */
export const N = "\\N";

/** A text[] literal for COPY's text format: {A,B}. Elements must be plain words. */
export function arr(xs: readonly string[]): string {
  return xs.length === 0 ? "{}" : `{${xs.join(",")}}`;
}

async function secondaryIndexes(c: pg.ClientBase, table: string) {
  const r = await c.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i
      where i.indrelid = $1::regclass and not i.indisprimary
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [`public.${table}`],
  );
  return r.rows;
}

async function isReferenced(c: pg.ClientBase, table: string) {
  const r = await c.query(
    `select 1 from pg_constraint where contype = 'f' and confrelid = $1::regclass and conrelid <> confrelid`,
    [`public.${table}`],
  );
  return (r.rowCount ?? 0) > 0;
}

export class CopyLoader {
  private open: Open[] = [];
  constructor(private url: string, private log: (m: string) => void = () => {}, private tzMinutes = 480) {}

  async start(specs: readonly TableSpec[]): Promise<Record<string, Sink | BinSink>> {
    const sinks: Record<string, Sink | BinSink> = {};
    if (process.env.DEMO_DRY) {
      // generator-only timing: rows are built and thrown away
      const { Writable } = await import("node:stream");
      for (const spec of specs) {
        const w = new Writable({ write(_c, _e, cb) { cb(); } });
        sinks[spec.table] = spec.binary ? new BinSink(spec.table, w, this.tzMinutes) : new Sink(spec.table, w);
      }
      return sinks;
    }
    for (const spec of specs) {
      const client = new pg.Client({ connectionString: this.url, application_name: `demo-copy-${spec.table}` });
      client.on("error", () => {}); // connection errors surface through the COPY stream or the next query
      await client.connect();
      await client.query("begin");
      await client.query("set local session_replication_role = replica");
      await client.query("set local maintenance_work_mem = '512MB'");
      await client.query("set local synchronous_commit = off");
      const freeze = !(await isReferenced(client, spec.table));
      if (freeze) await client.query(`truncate ${spec.table}`);
      if (process.env.DEMO_PROFILE) await client.query("set local max_parallel_maintenance_workers = 0");
      const idx = (await secondaryIndexes(client, spec.table));
      for (const i of idx) await client.query(`drop index ${i.name}`);
      const opts = [spec.binary ? "format binary" : "", freeze ? "freeze" : ""].filter(Boolean);
      const stream = client.query(copyFrom(
        `copy ${spec.table} (${spec.columns.join(", ")}) from stdin${opts.length ? ` with (${opts.join(", ")})` : ""}`,
      ));
      const sink = spec.binary ? new BinSink(spec.table, stream, this.tzMinutes) : new Sink(spec.table, stream);
      const done = new Promise<void>((resolve, reject) => {
        stream.on("finish", () => resolve());
        stream.on("error", reject);
      });
      done.catch(() => {}); // observed in finish()
      sinks[spec.table] = sink;
      this.open.push({ spec, client, sink, indexes: idx.map((i) => i.def), done });
    }
    return sinks;
  }

  /** Waits until every table's stream has room again (bounded memory). */
  async drain() {
    for (const o of this.open) {
      if (o.sink.error) throw o.sink.error;
      if (o.sink.pending) {
        await o.sink.pending;
      }
    }
  }

  /** Ends every COPY, rebuilds the dropped indexes and commits. */
  async finish(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    await Promise.all(this.open.map(async (o) => {
      if (o.sink instanceof BinSink) o.sink.trailer();
      o.sink.flush();
      o.sink.stream.end();
      await o.done;
      counts[o.spec.table] = o.sink.rows;
    }));
    // Index builds and ANALYZE: a table's run one after another on its own connection (its
    // transaction); three tables at a time, the customer table's GIN indexes first (the
    // longest chain), then the biggest tables. PostgreSQL adds parallel workers to each build.
    const queue = [...this.open];
    const gin = (o: Open) => Number(o.indexes.some((d) => d.includes("USING gin")));
    queue.sort((a, b) => gin(b) - gin(a) || b.sink.rows - a.sink.rows);
    const worker = async () => {
      for (let o = queue.shift(); o; o = queue.shift()) {
        const t0 = Date.now();
        for (const def of o.indexes) await o.client.query(def);
        await o.client.query(`analyze ${o.spec.table}`); // statistics in the same transaction, tables in parallel
        if (o.sink.rows > 100_000) this.log(`  索引与统计 ${o.spec.table}: ${o.indexes.length} 个索引, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    if (process.env.DEMO_PROFILE) await this.profile();
    for (const o of this.open) await o.client.query("commit");
    await this.close();
    return counts;
  }

  /** CPU seconds each table's server process used (same machine only; for tuning). */
  private async profile() {
    const fs = await import("node:fs");
    const tick = 100;
    let total = 0;
    for (const o of this.open) {
      const pid = (o.client as unknown as { processID: number }).processID;
      try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        const sec = (Number(f[11]) + Number(f[12])) / tick;
        total += sec;
        this.log(`  cpu ${o.spec.table.padEnd(22)} ${sec.toFixed(1)} s for ${o.sink.rows} rows (${((sec * 1e6) / Math.max(1, o.sink.rows)).toFixed(1)} µs/row)`);
      } catch { /* not local */ }
    }
    this.log(`  cpu all tables ${total.toFixed(1)} s`);
  }

  /** Gives up: closing the connections makes the server roll every table's load back. */
  async abort() {
    for (const o of this.open) {
      const socket = (o.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
      socket?.destroy();
    }
    this.open = [];
  }

  private async close() {
    await Promise.all(this.open.map((o) => o.client.end().catch(() => {})));
    this.open = [];
  }
}
