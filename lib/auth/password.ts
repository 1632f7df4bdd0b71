// Passwords are hashed with argon2id (memory-hard, slow on purpose); the prebuilt binary
// ships inside the npm package, so nothing is downloaded at install time.
import { hash, verify } from "@node-rs/argon2";

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const; // OWASP minimum for argon2id

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, OPTIONS);
}

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

/** Rules for a new password (checked by the admin form's zod schema too). */
export const PASSWORD_MIN_LENGTH = 8;
