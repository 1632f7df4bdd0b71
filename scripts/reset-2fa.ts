// `npm run auth:reset-2fa -- <username>`: clears a user's second factor from the command line,
// for when no other administrator can do it on /admin/users (the only administrator lost the
// phone and the recovery codes, or MFA_ENCRYPTION_KEY / .data/mfa-key was lost). Their sessions
// end; they enrol again at the next sign-in. Needs access to the database, like any migration.
import pg from "pg";

const username = (process.argv[2] ?? "").trim().toLowerCase();
if (!username) {
  console.error("用法: npm run auth:reset-2fa -- <用户名>");
  process.exit(2);
}
const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
await c.connect();
try {
  await c.query("begin");
  const r = await c.query<{ id: number; station_id: number }>(
    `update app_user set totp_secret = null, totp_pending_secret = null, totp_enrolled_at = null, totp_last_step = null,
            session_version = session_version + 1, updated_at = now()
     where username = $1 returning id, station_id`,
    [username],
  );
  if (!r.rows[0]) {
    await c.query("rollback");
    console.error(`没有用户 ${username}`);
    process.exit(1);
  }
  const { id, station_id } = r.rows[0];
  await c.query("delete from user_recovery_code where user_id = $1", [id]);
  await c.query(
    `insert into audit_log (station_id, actor_id, action, target_type, target_id, after)
     values ($1, null, 'auth.mfa.reset', 'user', $2, $3)`,
    [station_id, String(id), JSON.stringify({ username, sessionsEnded: true, via: "command" })],
  );
  await c.query("commit");
  console.log(`已重置 ${username} 的两步验证：其会话已失效，下次登录时重新绑定。`);
} finally {
  await c.end();
}
