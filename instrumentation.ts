// Next calls register() once per server start. In the Node.js runtime it puts the socket's peer
// address on every request for the login throttle (lib/auth/peer-header.ts: Next.js does not
// pass it on), then starts the background workers (lib/jobs/workers.ts: one entry per queue).
// JOBS_DISABLED=1 keeps a process from working jobs (e.g. a second web process).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./lib/auth/peer-header")).installPeerHeader();
  if (process.env.JOBS_DISABLED === "1") return;
  if (!process.env.DATABASE_URL) return;
  const { startWorkers } = await import("./lib/jobs/workers");
  try {
    await startWorkers();
    console.log("[jobs] workers started");
  } catch (e) {
    console.error("[jobs] workers could not start; billing runs will wait in the queue", (e as Error).message);
  }
}
