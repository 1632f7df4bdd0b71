// `npm run --silent calc -- <name> < input.json > output.json` (docs/calculator.md):
// JSON on stdin → JSON on stdout, exit 0; invalid input → exit 2 with a message naming the
// field on stderr and nothing on stdout. Never a stack trace.
import { runCalculator } from "@/lib/domain/calculators";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

process.on("uncaughtException", () => fail("计算失败：内部错误（输入已通过校验），请联系维护人员。", 1));

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const name = process.argv[2];
const text = await readStdin();
let result;
try {
  result = runCalculator(name, text);
} catch {
  fail("计算失败：内部错误（输入已通过校验），请联系维护人员。", 1);
}
if (!result.ok) fail(result.message, 2);
process.stdout.write(`${JSON.stringify(result.output)}\n`);
process.exit(0);
