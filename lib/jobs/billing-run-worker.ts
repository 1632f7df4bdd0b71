// The pg-boss worker for billing runs: job data { runId }. A failure leaves the run FAILED
// (with a code, never SQL) and pg-boss retries; a retry resumes, skipping what is billed.
import { BILLING_RUN_QUEUE, executeBillingRun } from "./billing-run";
import { jobsPool } from "./queue";
import type { WorkerDef } from "./workers";

export const billingRunWorker: WorkerDef = {
  queue: BILLING_RUN_QUEUE,
  queueOptions: { retryLimit: 2, retryDelay: 5, expireInSeconds: 30 * 60 },
  workOptions: { batchSize: 1, pollingIntervalSeconds: 1 },
  handler: async (jobs) => {
    for (const job of jobs) {
      const { runId } = job.data as { runId: number };
      const out = await executeBillingRun(jobsPool(), runId);
      const ph = out.phases;
      console.log(`[jobs] billing run #${runId}: ${out.status}, ${out.billed} bills (${out.held} held) in ${out.seconds.toFixed(1)} s` +
        (ph ? ` (waiting for reads ${ph.readWait.toFixed(1)} s, computing ${ph.compute.toFixed(1)} s, writing ${ph.write.toFixed(1)} s)` : ""));
    }
  },
};
