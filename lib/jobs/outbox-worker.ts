// The outbox dispatcher, every minute: each station's due electronic messages go out through
// their channel adapter (lib/data/outbox-dispatch.ts). Policy "stately": at most one run queued
// and one active, so a slow gateway makes runs wait instead of piling up; two app processes
// working this queue would still never send a message twice (rows are locked skip-locked).
import type { WorkerDef } from "./workers";

export const OUTBOX_QUEUE = "outbox-dispatch";

export const outboxWorker: WorkerDef = {
  queue: OUTBOX_QUEUE,
  queueOptions: { policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 },
  workOptions: { batchSize: 1, pollingIntervalSeconds: 10 },
  schedule: { cron: "* * * * *", tz: "Asia/Shanghai" },
  handler: async () => {
    const { dispatchAllStations } = await import("@/lib/data/outbox-dispatch");
    for (const r of await dispatchAllStations()) {
      if (r.sent + r.retried + r.failed + r.suppressed > 0)
        console.log(`[jobs] outbox, station ${r.stationId}: ${r.sent} sent, ${r.retried} to retry, ${r.failed} failed, ${r.suppressed} suppressed`);
    }
  },
};
