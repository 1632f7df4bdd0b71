// Encrypts second-factor secrets at rest (AES-256-GCM), so a copy of the database alone (a
// backup, a dump) does not give away anyone's codes. The key is MFA_ENCRYPTION_KEY, or one
// generated once into .data/mfa-key beside the database's data (never committed). Without the
// key the stored secrets cannot be read: sign-in with a code then fails with MFA_UNAVAILABLE
// and an administrator (or `npm run auth:reset-2fa`) resets the enrolment.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";
let cached: { source: string; key: Buffer } | null = null;

function keySource(): string {
  const fromEnv = process.env.MFA_ENCRYPTION_KEY;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("MFA_ENCRYPTION_KEY must be at least 32 characters");
    return fromEnv;
  }
  const file = path.join(process.cwd(), ".data/mfa-key");
  if (fs.existsSync(file)) {
    const s = fs.readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const s = randomBytes(48).toString("base64url");
  // "wx": two processes starting at once must not each write their own key
  try {
    fs.writeFileSync(file, s + "\n", { mode: 0o600, flag: "wx" });
    return s;
  } catch {
    return fs.readFileSync(file, "utf8").trim();
  }
}

function key(): Buffer {
  const source = keySource();
  if (cached?.source !== source) cached = { source, key: createHash("sha256").update(`mfa-secret-box:${source}`).digest() };
  return cached.key;
}

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), c.getAuthTag().toString("base64url")].join(":");
}

/** The secret, or null when it was sealed with another key or is damaged. */
export function openSecret(sealed: string): string | null {
  const [v, iv, body, tag] = sealed.split(":");
  if (v !== VERSION || !iv || !body || !tag) return null;
  try {
    const d = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    d.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([d.update(Buffer.from(body, "base64url")), d.final()]).toString("utf8");
  } catch {
    return null;
  }
}
