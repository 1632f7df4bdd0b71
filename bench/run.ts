// `npm run bench`: runs every bench/*.bench.ts in name order against the database given by
// DATABASE_URL (scripts/with-db.ts provides the embedded one) and prints their figures.
// A single bench: npm run bench -- billing   (matches file names containing the word)
import fs from "node:fs";
import { register } from "node:module";
import path from "node:path";

// lib/data modules import "server-only", which throws outside Next's server bundle: map it to
// an empty module for this process, before any bench imports them
register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, n) {
  if (s === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return n(s, c);
}`)}`);

const only = process.argv.slice(2);
const dir = path.dirname(new URL(import.meta.url).pathname);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const mod = (await import(path.join(dir, f))) as { default: () => Promise<void> };
  const t0 = performance.now();
  await mod.default();
  console.log(`--- ${f}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
process.exit(0);
