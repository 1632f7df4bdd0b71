// 费控 sweep (预购电): every station's prepaid accounts, hourly. It sends the low-balance
// warnings that released bills made due, serves stop notices for balances below zero, executes
// the fee-control stops whose grace has passed (never for 保电 customers) and restores stopped
// accounts topped up above zero (lib/data/prepaid.ts; a top-up itself restores at once).
import type { WorkerDef } from "./workers";

export const FEE_CONTROL_QUEUE = "fee-control-sweep";

export const feeControlWorker: WorkerDef = {
  queue: FEE_CONTROL_QUEUE,
  queueOptions: { retryLimit: 1, expireInSeconds: 30 * 60 },
  workOptions: { batchSize: 1, pollingIntervalSeconds: 30 },
  schedule: { cron: "7 * * * *", tz: "Asia/Shanghai" },
  handler: async () => {
    const { runFeeControlSweep } = await import("@/lib/data/prepaid");
    const { pool } = await import("@/lib/db");
    const stations = (await pool.query(`select id from station order by id`)).rows.map((r) => r.id as number);
    for (const id of stations) {
      const r = await runFeeControlSweep(id);
      if (r.changed > 0) console.log(`[jobs] fee control, station ${id}: ${r.accounts} prepaid accounts, ${r.changed} acted on`);
    }
  },
};
