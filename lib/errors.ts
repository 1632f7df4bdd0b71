// One error contract for server actions and route handlers:
//  * field errors for bad input (zod) → { status: "invalid", fieldErrors }
//  * AppError(code) for a broken business rule → a clear message from the catalog
//  * anything else is logged and shown as a generic message: never SQL or a stack trace.

export class AppError extends Error {
  constructor(public readonly code: string, public readonly params: Record<string, string | number> = {}) {
    super(code);
    this.name = "AppError";
  }
}

export type ActionResult<T = undefined> =
  | { status: "ok"; message?: string; data?: T }
  | { status: "invalid"; message: string; fieldErrors: Record<string, string[]> }
  | { status: "error"; code: string; message: string };
