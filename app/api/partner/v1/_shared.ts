// Shared by the partner API's route handlers: key authentication, JSON errors, body parsing.
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { hasMessage, translate } from "@/lib/i18n/core";
import { authenticatePartner, type PartnerCaller } from "@/lib/data/partners";
import { CONTROL_CHARS_MESSAGE, controlCharPaths } from "@/lib/validation/input";

const STATUS: Record<string, number> = {
  INVALID_INPUT: 400, UNAUTHORIZED: 401, CUSTOMER_NOT_FOUND: 404, PAYMENT_ACCOUNT_NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409, PAYMENT_AMOUNT_INVALID: 422, ACCOUNT_CLOSED_OVERPAY: 422, PAID_ON_OUTSIDE_WINDOW: 422, BODY_TOO_LARGE: 413,
};

export function apiError(code: string, message: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json({ error: code, message, ...extra }, { status: STATUS[code] ?? 500, headers: { "cache-control": "no-store" } });
}

/** The key from `X-Api-Key` (or `Authorization: Bearer …`). */
function keyOf(req: NextRequest): string | null {
  const h = req.headers.get("x-api-key");
  if (h) return h.trim();
  const a = req.headers.get("authorization");
  return a?.toLowerCase().startsWith("bearer ") ? a.slice(7).trim() : null;
}

/** Runs a handler for an authenticated partner; every failure is a JSON error, never a stack trace. */
export async function withPartner(req: NextRequest, fn: (p: PartnerCaller) => Promise<NextResponse>): Promise<NextResponse> {
  try {
    const p = await authenticatePartner(keyOf(req));
    if (!p) return apiError("UNAUTHORIZED", "API 密钥无效或缺失（请在 X-Api-Key 请求头中提供合作机构密钥）。");
    return await fn(p);
  } catch (e) {
    // the message's parameters also as data (e.g. the paidOn window), for the partner's software
    if (e instanceof AppError) return apiError(e.code, translate("zh", `errors.${e.code}`, e.params), Object.keys(e.params).length ? { details: e.params } : {});
    console.error("[partner api]", e);
    return apiError("GENERIC", translate("zh", "errors.GENERIC"));
  }
}

// Field problems a partner's software may want to tell apart from a malformed value: a code beside
// the message (the message is shared with the staff forms, through the catalog).
const FIELD_CODES: Record<string, string> = {
  "payments.validation.amountTooLarge": "AMOUNT_TOO_LARGE",
  [CONTROL_CHARS_MESSAGE]: "CONTROL_CHARACTERS",
};

type FieldProblem = { field: string; message: string; code?: string };

function fieldProblem(path: readonly PropertyKey[], message: string): FieldProblem {
  const text = hasMessage("zh", message) ? translate("zh", message) : message;
  return { field: path.map(String).join(".") || "(body)", message: text, ...(FIELD_CODES[message] ? { code: FIELD_CODES[message] } : {}) };
}

export function invalid(issues: readonly z.core.$ZodIssue[]) {
  return apiError("INVALID_INPUT", "请求参数无效。", {
    fields: issues.slice(0, 20).map((i) => fieldProblem(i.path, i.code === "unrecognized_keys" ? `未知字段：${i.keys.join(", ")}` : i.message)),
  });
}

/** A 400 naming every field that holds a control character (PostgreSQL refuses NUL in text:
 *  without this a NUL in a customer number was a 500), or null when the input is clean. */
export function refuseControlChars(input: unknown): NextResponse | null {
  const paths = controlCharPaths(input);
  if (paths.length === 0) return null;
  return apiError("INVALID_INPUT", "请求参数无效。", { fields: paths.map((p) => fieldProblem(p, CONTROL_CHARS_MESSAGE)) });
}

const MAX_BODY = 5 * 1024 * 1024;

/** The request body as JSON (null with a reason when it is not JSON, too large, or holds a
 *  control character in any string). */
export async function readJson(req: NextRequest): Promise<{ ok: true; body: unknown } | { ok: false; res: NextResponse }> {
  const text = await req.text();
  if (text.length > MAX_BODY) return { ok: false, res: apiError("BODY_TOO_LARGE", "请求体过大（最多 5 MB）。") };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, res: apiError("INVALID_INPUT", "请求体须为 JSON。") };
  }
  const refused = refuseControlChars(body);
  return refused ? { ok: false, res: refused } : { ok: true, body };
}
