// References to documents resolve inside the repository, so a clone can follow every one of them.
//  * Source files (app, lib, components, scripts, prisma, tests, bench, the root configs, .ci)
//    may name a `.md` file only if it exists here: a path from the repository root or from the
//    file's folder, or a bare name under docs/ (an applied migration cannot be edited and names
//    docs/environment.md by its file name). `docs/x.md §2.1` needs a heading numbered 2.1 in that
//    file, `docs/x.md#anchor` a heading with that anchor. Links inside URLs are not checked.
//    The documents that used to live outside the repository cannot be named at all.
//  * The docs (docs/ and the README) link only to files and headings that exist, and every
//    repository path they name in backticks exists, so a moved file shows up here too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const THIS_FILE = path.relative(ROOT, import.meta.filename);
const SOURCE_DIRS = ["app", "lib", "components", "scripts", "prisma", "tests", "bench", ".ci"];
const ROOT_FILES = ["prisma.config.ts", "next.config.ts", "vitest.config.ts", "playwright.config.ts", "instrumentation.ts", "postcss.config.mjs", "package.json"];
const SOURCE_EXT = /\.(ts|tsx|js|mjs|cjs|sql|prisma|json|css|toml)$|^\.ci\/run$/;
const SKIP_DIRS = new Set(["node_modules", "generated", ".next", "test-results", "playwright-report", "out"]);

// documents that lived outside the repository: naming them again is a dangling reference
const OUTSIDE = /\bcn-rules\b|\/work\/shared|\bshared\/(?:reference|seeds|contracts|domain|environment|conventions)\b/;

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name) || e.name.startsWith(".next")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(path.relative(ROOT, p));
  }
  return out;
}

export function sourceFiles(): string[] {
  const files = SOURCE_DIRS.flatMap((d) => walk(path.join(ROOT, d)));
  for (const f of ROOT_FILES) if (fs.existsSync(path.join(ROOT, f))) files.push(f);
  return files.filter((f) => SOURCE_EXT.test(f) && f !== THIS_FILE).sort();
}

export function docFiles(): string[] {
  return [...walk(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")), "README.md"].sort();
}

// ───────────── headings and their section numbers and anchors ─────────────

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

export type Headings = { numbers: Set<string>; anchors: Set<string> };

export function headings(markdown: string): Headings {
  const numbers = new Set<string>();
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const h = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const n = /^(\d+(?:\.\d+)*)\.?\s/.exec(h[1]);
    if (n) numbers.add(n[1]);
    const s = slug(h[1]);
    const k = seen.get(s) ?? 0;
    anchors.add(k === 0 ? s : `${s}-${k}`);
    seen.set(s, k + 1);
  }
  return { numbers, anchors };
}

const headingCache = new Map<string, Headings>();
function headingsOf(file: string): Headings {
  let h = headingCache.get(file);
  if (!h) headingCache.set(file, (h = headings(fs.readFileSync(path.join(ROOT, file), "utf8"))));
  return h;
}

// ───────────── references in source files ─────────────

export type Reference = { line: number; target: string; section: string | null; anchor: string | null; text: string };

// a name ending in .md, not inside a longer word or path ("docs/x.md." at the end of a sentence counts)
const MD_REF = /(?<![\w./-])((?:\.{1,2}\/)?(?:[\w.-]+\/)*[\w-][\w.-]*\.md)(?![\w-]|\.\w)(?:#([\p{L}\p{N}_-]+)|\s*§\s*(\d+(?:\.\d+)*))?/gu;
const URL = /\bhttps?:\/\/[^\s"'`)<>]+/g;

/** Every `.md` file a text names (outside URLs), with the section or anchor that follows it. */
export function findReferences(text: string): Reference[] {
  const out: Reference[] = [];
  text.split("\n").forEach((line, i) => {
    const urls = [...line.matchAll(URL)].map((m) => [m.index!, m.index! + m[0].length] as const);
    for (const m of line.matchAll(MD_REF)) {
      if (urls.some(([a, b]) => m.index! >= a && m.index! < b)) continue;
      out.push({ line: i + 1, target: m[1], anchor: m[2] ?? null, section: m[3] ?? null, text: m[0] });
    }
  });
  return out;
}

/** The repository file a reference names, or null. */
export function resolveTarget(target: string, fromFile: string): string | null {
  const tries = [target, path.join(path.dirname(fromFile), target), path.join("docs", target)];
  for (const t of tries) {
    const rel = path.normalize(t);
    if (!rel.startsWith("..") && fs.existsSync(path.join(ROOT, rel)) && fs.statSync(path.join(ROOT, rel)).isFile()) return rel;
  }
  return null;
}

/** What is wrong with a reference ("" when nothing). */
export function problem(ref: Pick<Reference, "target" | "section" | "anchor">, fromFile: string): string {
  const file = resolveTarget(ref.target, fromFile);
  if (!file) return `${ref.target} does not exist in the repository`;
  const h = headingsOf(file);
  if (ref.section && !h.numbers.has(ref.section)) return `${file} has no section ${ref.section}`;
  if (ref.anchor && !h.anchors.has(ref.anchor)) return `${file} has no heading #${ref.anchor}`;
  return "";
}

export function sourceProblems(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(ROOT, f), "utf8");
    for (const r of findReferences(text)) {
      const p = problem(r, f);
      if (p) out.push(`${f}:${r.line}: "${r.text}": ${p}`);
    }
    text.split("\n").forEach((line, i) => {
      const m = OUTSIDE.exec(line);
      if (m) out.push(`${f}:${i + 1}: "${m[0]}": a document outside the repository (cite docs/ instead)`);
    });
  }
  return out;
}

// ───────────── links and paths in the docs ─────────────

const LINK = /\]\(([^)\s]+)\)/g;
const CODE = /`([^`\s]+)`/g;
const REPO_PATH = /^(?:app|lib|components|scripts|prisma|tests|bench|docs|\.ci)\/[^\s]*[^\s.,:;]$/;

function pathExists(p: string): boolean {
  if (!p.includes("*")) return fs.existsSync(path.join(ROOT, p));
  const dir = path.dirname(p);
  const re = new RegExp(`^${path.basename(p).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  return fs.existsSync(path.join(ROOT, dir)) && fs.readdirSync(path.join(ROOT, dir)).some((n) => re.test(n));
}

export function docProblems(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(ROOT, f), "utf8");
    let fenced = false;
    text.split("\n").forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return;
      for (const m of line.matchAll(LINK)) {
        const href = m[1];
        if (/^(https?:|mailto:)/.test(href)) continue;
        const [target, anchor] = href.split("#");
        const file = target === "" ? f : path.normalize(path.join(path.dirname(f), target));
        if (!fs.existsSync(path.join(ROOT, file))) {
          out.push(`${f}:${i + 1}: link ${href}: ${file} does not exist`);
          continue;
        }
        if (anchor && file.endsWith(".md") && !headingsOf(file).anchors.has(anchor)) out.push(`${f}:${i + 1}: link ${href}: no heading #${anchor}`);
      }
      for (const m of line.matchAll(CODE)) {
        const p = m[1].split("#")[0];
        if (REPO_PATH.test(p) && !pathExists(p)) out.push(`${f}:${i + 1}: \`${p}\` does not exist`);
      }
      for (const r of findReferences(line.replace(LINK, "").replace(/`[^`]*<[^`]*`/g, ""))) {
        if (r.target.startsWith("docs/") || r.section) {
          const p = problem(r, f);
          if (p) out.push(`${f}:${i + 1}: "${r.text}": ${p}`);
        }
      }
    });
  }
  return out;
}

// ───────────── the tests ─────────────

describe("the checker itself", () => {
  it("finds .md references with their section or anchor, and skips URLs", () => {
    const refs = findReferences([
      "// see docs/calculator.md §4 and docs/domain/readings.md#1-the-reading-day-抄表例日",
      "// the table in https://github.com/x/y/blob/main/living-cost-electricity.md is not ours",
      "-- a UTF-8 locale, environment.md)",
    ].join("\n"));
    expect(refs.map((r) => [r.line, r.target, r.section, r.anchor])).toEqual([
      [1, "docs/calculator.md", "4", null],
      [1, "docs/domain/readings.md", null, "1-the-reading-day-抄表例日"],
      [3, "environment.md", null, null],
    ]);
  });

  it("accepts what exists and names what does not", () => {
    const from = "lib/domain/x.ts";
    expect(problem({ target: "docs/calculator.md", section: "4", anchor: null }, from)).toBe("");
    expect(problem({ target: "docs/environment.md", section: "6.2", anchor: null }, from)).toBe("");
    expect(problem({ target: "environment.md", section: null, anchor: null }, "prisma/migrations/x/migration.sql")).toBe("");
    expect(problem({ target: "docs/domain/readings.md", section: null, anchor: "1-the-reading-day-抄表例日" }, from)).toBe("");
    expect(problem({ target: "docs/calculator.md", section: "99", anchor: null }, from)).toMatch(/no section 99/);
    expect(problem({ target: "docs/calculator.md", section: null, anchor: "nowhere" }, from)).toMatch(/no heading #nowhere/);
    expect(problem({ target: "docs/nowhere.md", section: null, anchor: null }, from)).toMatch(/does not exist/);
    // the documents that lived outside the repository
    for (const gone of ["contracts.md", "domain.md", "conventions.md", "shared/contracts.md", "reference/cn-rules.md"]) {
      expect(problem({ target: gone, section: null, anchor: null }, from)).toMatch(/does not exist/);
    }
  });

  it("section numbers and anchors are read from headings, not from code blocks", () => {
    const h = headings("# Title\n## 2. Late fees\n### 2.1 Rates (元)\n```\n## 9. not a heading\n```\n## 2. Late fees\n");
    expect([...h.numbers].sort()).toEqual(["2", "2.1"]);
    expect(h.anchors).toEqual(new Set(["title", "2-late-fees", "21-rates-元", "2-late-fees-1"]));
  });

  it("a source file naming an outside document fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-links-"));
    try {
      const f = path.join(dir, "bad.ts");
      fs.writeFileSync(f, ["// rule from cn-rules §4.1", "// see contracts.md `late-fee`", "// docs/calculator.md §4 is fine"].join("\n"));
      const rel = path.relative(ROOT, f);
      const p = sourceProblems([rel]);
      expect(p).toHaveLength(2);
      expect(p[0]).toMatch(/contracts\.md does not exist/);
      expect(p[1]).toMatch(/cn-rules.*outside the repository/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("references to documents", () => {
  it("the scan covers the code (sanity: it sees the files that cite docs/)", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain("lib/domain/payments/late-fee.ts");
    expect(files).toContain("prisma.config.ts");
  });

  it("every .md file and section named in the code exists in the repository", () => {
    expect(sourceProblems(sourceFiles())).toEqual([]);
  });

  it("every link, section and repository path in docs/ and the README exists", () => {
    const files = docFiles();
    expect(files).toContain("docs/README.md");
    expect(docProblems(files)).toEqual([]);
  });
});
