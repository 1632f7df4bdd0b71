// The channel adapter contract: how the outbox dispatcher (lib/data/outbox-dispatch.ts) hands one
// message to one electronic channel. One adapter per channel (SMS, WeChat, e-mail); which one
// runs is configuration (lib/outbox/adapters.ts). A real gateway is one file implementing this.
import type pg from "pg";
import type { ElectronicChannel } from "@/lib/domain/outbox/channels";
import type { FailureKind } from "@/lib/domain/outbox/retry";

export type OutgoingMessage = {
  id: number;
  stationId: number;
  channel: ElectronicChannel;
  /** already checked and normalised for the channel (lib/domain/outbox/recipient.ts) */
  recipient: string;
  template: string;
  content: string;
  /** the message's dedupe_key: pass it to the gateway as its idempotency / client reference
   *  key, so a resend after a crash is recognised by the gateway as the same message */
  idempotencyKey: string;
};

export type SendContext = {
  /** the dispatcher's open transaction. Only an adapter whose "gateway" is this database (the
   *  local one) writes through it; a real gateway adapter ignores it. */
  db: pg.PoolClient;
  now: Date;
};

export type SendResult = { providerRef: string };

export interface ChannelAdapter {
  /** e.g. "local", "aliyun-sms": recorded nowhere secret, shown on the outbox page */
  readonly name: string;
  readonly channel: ElectronicChannel;
  /** Hands the message over. Resolves with the gateway's reference once it has accepted it;
   *  throws a SendFailure otherwise (anything else thrown counts as transient). */
  send(message: OutgoingMessage, ctx: SendContext): Promise<SendResult>;
}

/** A typed failure: TRANSIENT is retried with backoff, PERMANENT fails the message at once. */
export class SendFailure extends Error {
  constructor(public readonly kind: FailureKind, public readonly code: string, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = "SendFailure";
  }
}

/** Gateway unreachable, timed out, throttled, 5xx: try again later. */
export const transientFailure = (code: string, detail?: string) => new SendFailure("TRANSIENT", code, detail);
/** The gateway refuses this message for good (bad number, unsubscribed, content rejected). */
export const permanentFailure = (code: string, detail?: string) => new SendFailure("PERMANENT", code, detail);
