// The job queue: one pg-boss (10.4) per server process on DATABASE_URL, in schema `pgboss`.
// Survives Next's dev reloads (kept on globalThis). No "server-only" here: the bench and the
// integration tests start the same queue outside Next.
import PgBoss from "pg-boss";
import pg from "pg";

const g = globalThis as unknown as { __boss?: Promise<PgBoss>; __jobsPool?: pg.Pool };

function databaseUrl(): string {
  const u = process.env.DATABASE_URL;
  if (!u) throw new Error("DATABASE_URL is not set");
  return u;
}

/** The started queue (started on first use). */
export function getBoss(): Promise<PgBoss> {
  if (!g.__boss) {
    g.__boss = (async () => {
      const boss = new PgBoss({ connectionString: databaseUrl(), schema: "pgboss", max: 4 });
      boss.on("error", (e) => console.error("[jobs] queue error", e.message));
      await boss.start();
      return boss;
    })().catch((e) => {
      g.__boss = undefined; // let the next call try again
      throw e;
    });
  }
  return g.__boss;
}

/** A pg pool for job handlers (bulk work outside Prisma). */
export function jobsPool(): pg.Pool {
  return (g.__jobsPool ??= new pg.Pool({ connectionString: databaseUrl(), max: 8 }));
}

/** Creates the queue if missing and sends a job. */
export async function sendJob(queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = await getBoss();
  await boss.createQueue(queue);
  return boss.send(queue, data, options);
}

export async function stopQueue() {
  const b = g.__boss;
  g.__boss = undefined;
  if (b) await (await b).stop({ graceful: true, wait: true }).catch(() => {});
  const p = g.__jobsPool;
  g.__jobsPool = undefined;
  if (p) await p.end().catch(() => {});
}
