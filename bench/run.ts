// `npm run bench`: runs every bench/*.bench.ts in name order against the database given by
// DATABASE_URL (scripts/with-db.ts provides the embedded one) and prints their figures.
// A single bench: npm run bench -- billing   (matches file names containing the word)
import fs from "node:fs";
import path from "node:path";

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
