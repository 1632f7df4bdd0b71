// npx tsx prisma/demo/cli.ts --customers N [--months M] [--seed S] [--as-of YYYY-MM-DD] [--reset] [--stations K]
// (npm run db:demo -- … runs it against the project's database.)
// Without --reset it does nothing when the database already holds customers.
import { isIsoDate, localDate } from "../../lib/domain/calendar";
import { DEMO_LOGINS } from "../seed/base";
import { generate } from "./generate";

function usage(msg: string): never {
  console.error(`${msg}\n用法: npm run db:demo -- --customers N [--months 24] [--seed 20261] [--as-of YYYY-MM-DD] [--reset] [--stations 1]`);
  process.exit(2);
}

function parse(argv: string[]) {
  const o = { customers: 3000, months: 24, seed: 20261, asOf: localDate(new Date(), "Asia/Shanghai"), reset: false, stations: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} 缺少参数值`);
      return v;
    };
    const int = (min: number, max: number) => {
      const v = val();
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) usage(`${a} 须为 ${min}–${max} 的整数`);
      return Number(v);
    };
    switch (a) {
      case "--customers": o.customers = int(100, 5_000_000); break;
      case "--months": o.months = int(2, 60); break;
      case "--seed": o.seed = int(0, 2 ** 31 - 1); break;
      case "--stations": o.stations = int(1, 9); break;
      case "--as-of": {
        const v = val();
        if (!isIsoDate(v)) usage("--as-of 须为有效日期 YYYY-MM-DD");
        o.asOf = v;
        break;
      }
      case "--reset": o.reset = true; break;
      default: usage(`未知参数 ${a}`);
    }
  }
  return o;
}

const opts = parse(process.argv.slice(2));
const url = process.env.DATABASE_URL;
if (!url) usage("DATABASE_URL 未设置（npm run db:demo 会自动提供）");

try {
  const r = await generate({ ...opts, url, log: (m) => console.log(m) });
  if (r.skipped) {
    console.log("数据库中已有客户数据，未重新生成（加 --reset 清空后重新生成）。");
  } else {
    console.log("\n各表行数:");
    let total = 0;
    for (const [t, n] of Object.entries(r.counts).sort((a, b) => b[1] - a[1])) {
      console.log(`  ${t.padEnd(22)} ${n.toLocaleString().padStart(14)}`);
      total += n;
    }
    console.log(`  ${"合计".padEnd(20)} ${total.toLocaleString().padStart(14)}`);
    const maxRss = process.resourceUsage().maxRSS; // KiB
    console.log(`\n客户 ${opts.customers.toLocaleString()} 户, ${opts.months} 个月, 截至 ${opts.asOf}, 种子 ${opts.seed}`);
    console.log(`耗时 ${r.seconds.toFixed(1)} s, 峰值内存 ${(maxRss / 1024).toFixed(0)} MB, 数据库大小 ${(r.dbBytes / 2 ** 30).toFixed(2)} GB`);
  }
  console.log("\n演示账号（密码均为 Demo@2026）:");
  for (const l of DEMO_LOGINS) console.log(`  ${l.role.padEnd(8)} ${l.username.padEnd(8)} ${l.name}`);
} catch (e) {
  console.error("演示数据生成失败:", e instanceof Error ? e.message : e);
  if (process.env.DEBUG) console.error(e);
  process.exit(1);
}
