// `npm run demo:codes`: the current sign-in codes of the demo manager and administrator, whose
// second factor the demo enrolled with fixed secrets (prisma/seed/base.ts DEMO_TOTP_SECRETS).
// `--watch` prints the next ones as they come. Nothing is read from the database: if a demo
// user re-enrolled on /account/two-factor, their own authenticator has the code instead.
import { DEMO_TOTP_SECRETS } from "../prisma/seed/base";
import { groupSecret, totpCode, totpStep, TOTP_PERIOD_S } from "../lib/auth/totp";

function show() {
  const now = new Date();
  const step = totpStep(now);
  const left = TOTP_PERIOD_S - (Math.floor(now.getTime() / 1000) % TOTP_PERIOD_S);
  console.log(`演示账号的两步验证码（${left} 秒后换新，下一个码提前可用）:`);
  for (const [username, secret] of Object.entries(DEMO_TOTP_SECRETS)) {
    console.log(`  ${username.padEnd(8)} ${totpCode(secret, step)}   下一个 ${totpCode(secret, step + 1)}   密钥 ${groupSecret(secret)}`);
  }
}

show();
if (process.argv.includes("--watch")) {
  const wait = () => TOTP_PERIOD_S * 1000 - (Date.now() % (TOTP_PERIOD_S * 1000)) + 50;
  const tick = () => setTimeout(() => {
    console.log("");
    show();
    tick();
  }, wait());
  tick();
}
