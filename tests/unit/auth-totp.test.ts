import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  base32Decode,
  base32Encode,
  hashRecoveryCode,
  hotp,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from "@/lib/auth/totp";

// RFC 4226 Appendix D: secret "12345678901234567890", counters 0–9
const HOTP_VECTORS = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
// RFC 6238 Appendix B: SHA-1, 8 digits, 30-second steps
const TOTP_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];
const RFC_KEY = Buffer.from("12345678901234567890");

describe("HOTP / TOTP against the RFCs' test vectors", () => {
  it.each(HOTP_VECTORS.map((v, i) => [i, v] as const))("HOTP counter %i → %s", (counter, code) => {
    expect(hotp(RFC_KEY, counter)).toBe(code);
  });

  it.each(TOTP_VECTORS)("TOTP at %i s → %s", (seconds, code) => {
    expect(hotp(RFC_KEY, totpStep(new Date(seconds * 1000)), 8)).toBe(code);
  });

  it("base32 of the RFC key is what authenticator apps take", () => {
    const b32 = base32Encode(RFC_KEY);
    expect(b32).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(totpCode(b32, 1)).toBe(HOTP_VECTORS[1]);
  });

  it("base32 round-trips any bytes, and decoding forgives case, spaces and padding", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => base32Decode(base32Encode(bytes)).equals(Buffer.from(bytes))));
    expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq==").equals(RFC_KEY)).toBe(true);
  });

  it("a new secret has 160 bits", () => {
    expect(base32Decode(newTotpSecret())).toHaveLength(20);
  });
});

describe("verifyTotp", () => {
  const secret = base32Encode(RFC_KEY);
  const now = new Date(1_700_000_000_000);
  const step = totpStep(now);

  it("accepts the current code and those of the steps either side (clock drift), nothing further", () => {
    for (const d of [-1, 0, 1]) expect(verifyTotp(secret, totpCode(secret, step + d), now, null)).toEqual({ ok: true, step: step + d });
    for (const d of [-3, -2, 2, 3]) expect(verifyTotp(secret, totpCode(secret, step + d), now, null)).toEqual({ ok: false, reused: false });
  });

  it("refuses a code at or before the last accepted step as reused (a code works once)", () => {
    const code = totpCode(secret, step);
    expect(verifyTotp(secret, code, now, step)).toEqual({ ok: false, reused: true });
    expect(verifyTotp(secret, totpCode(secret, step - 1), now, step)).toEqual({ ok: false, reused: true });
    expect(verifyTotp(secret, totpCode(secret, step + 1), now, step)).toEqual({ ok: true, step: step + 1 });
  });

  it("forgives spaces and full-width digits; refuses anything but six digits", () => {
    const code = totpCode(secret, step);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null).ok).toBe(true);
    const wide = [...code].map((c) => String.fromCharCode(0xff10 + Number(c))).join("");
    expect(verifyTotp(secret, wide, now, null).ok).toBe(true);
    for (const bad of ["", "12345", "1234567", "abcdef", `${code}0`]) expect(verifyTotp(secret, bad, now, null).ok).toBe(false);
  });
});

describe("recovery codes", () => {
  it("ten distinct codes, typed back in any case, with or without the hyphen", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(c).not.toMatch(/[01ilo]/);
      expect(hashRecoveryCode(c.toUpperCase().replace("-", " "))).toBe(hashRecoveryCode(c));
    }
    expect(normalizeRecoveryCode("123456")).toBeNull();
  });

  it("only a hash is kept, and it is not the code", () => {
    const [c] = newRecoveryCodes(1);
    expect(hashRecoveryCode(c)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(c)).not.toContain(c.replace("-", ""));
  });
});

it("the otpauth address names the issuer and account, and carries the secret", () => {
  const u = new URL(otpauthUri("JBSWY3DPEHPK3PXP", "manager", "供电所抄核收"));
  expect(u.protocol).toBe("otpauth:");
  expect(u.host).toBe("totp");
  expect(decodeURIComponent(u.pathname)).toBe("/供电所抄核收:manager");
  expect(u.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
  expect(u.searchParams.get("issuer")).toBe("供电所抄核收");
});
