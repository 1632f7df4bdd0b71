// Creates a collection partner and prints its API key ONCE (only its SHA-256 is stored):
//   npx tsx scripts/partner-create.ts --station TH01 --code WX01 --name "微信缴费服务商" --channel WECHAT
// (DATABASE_URL set, or through scripts/with-db.ts).
import { parseArgs } from "node:util";
import { partnerCreateSchema } from "../lib/validation/partner";

const { values } = parseArgs({ options: { station: { type: "string" }, code: { type: "string" }, name: { type: "string" }, channel: { type: "string" } } });
const parsed = partnerCreateSchema.safeParse(values);
if (!parsed.success || !values.station) {
  console.error("用法: npx tsx scripts/partner-create.ts --station <供电所代码> --code <代码> --name <名称> --channel <WECHAT|ALIPAY|UNIONPAY|MOBILE_BANK|KIOSK|BANK_DEBIT>");
  for (const i of parsed.error?.issues ?? []) console.error(`  ${i.path.join(".")}: ${i.message}`);
  process.exit(2);
}
// lib/data modules are server-only: map that marker to nothing in this CLI process
const { register } = await import("node:module");
register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, n) { if (s === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true }; return n(s, c); }`)}`);
const { pool } = await import("../lib/db");
const { createPartner } = await import("../lib/data/partners");
const { AppError } = await import("../lib/errors");
try {
  const st = await pool.query(`select id from station where code = $1`, [values.station]);
  if (!st.rows[0]) {
    console.error(`供电所 ${values.station} 不存在`);
    process.exit(2);
  }
  const r = await createPartner(st.rows[0].id, parsed.data, null);
  console.log(`合作机构 ${parsed.data.code}（${parsed.data.name}）已创建，id ${r.id}。`);
  console.log(`API 密钥（只显示这一次，请妥善交给对方，系统只保存其哈希）：\n${r.key}`);
  console.log(`调用时放在请求头 X-Api-Key 中；接口说明：/api/partner/v1/openapi.json`);
} catch (e) {
  console.error(e instanceof AppError ? `创建失败：${e.code}` : `创建失败：${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
