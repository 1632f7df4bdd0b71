// The background workers, one entry per queue. Later jobs (grading, reminder dispatch…) add
// their entry here; instrumentation.ts starts them all in the Next server process.
import type PgBoss from "pg-boss";
import { getBoss } from "./queue";
import { billingRunWorker } from "./billing-run-worker";
import { feeControlWorker } from "./fee-control-worker";
import { outboxWorker } from "./outbox-worker";

export type WorkerDef = {
  queue: string;
  /** queue defaults (retries, expiry) applied when the queue is created */
  queueOptions?: Omit<PgBoss.Queue, "name">;
  workOptions?: PgBoss.WorkOptions;
  handler: (jobs: PgBoss.Job<object>[]) => Promise<unknown>;
  /** a recurring job (pg-boss cron), e.g. the hourly fee-control sweep */
  schedule?: { cron: string; tz?: string };
};

export const WORKERS: WorkerDef[] = [billingRunWorker, feeControlWorker, outboxWorker];

const g = globalThis as unknown as { __workersStarted?: boolean };

/** Starts every worker once per process. */
export async function startWorkers(list: readonly WorkerDef[] = WORKERS) {
  if (g.__workersStarted) return;
  g.__workersStarted = true;
  try {
    const boss = await getBoss();
    for (const w of list) {
      await boss.createQueue(w.queue, { name: w.queue, ...(w.queueOptions ?? {}) });
      await boss.work(w.queue, w.workOptions ?? {}, w.handler as PgBoss.WorkHandler<object>);
      if (w.schedule) await boss.schedule(w.queue, w.schedule.cron, {}, { tz: w.schedule.tz });
    }
  } catch (e) {
    g.__workersStarted = false;
    throw e;
  }
}
