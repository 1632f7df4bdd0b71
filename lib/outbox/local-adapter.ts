// The local channel adapter (OUTBOX_ADAPTER=local, the default): no gateway is reachable from
// here, so instead of pretending to send it records exactly what would be sent in outbox_delivery
// — channel, normalised recipient, content, time and a generated reference — inside the
// dispatcher's transaction. The message is marked SENT in that same transaction: a crash before
// the commit loses both, so a local delivery happens exactly once. Like a real gateway given an
// idempotency key, a repeat of the same key is answered with the first reference, not recorded twice.
import { randomUUID } from "node:crypto";
import type { ElectronicChannel } from "@/lib/domain/outbox/channels";
import type { ChannelAdapter, OutgoingMessage, SendContext, SendResult } from "./adapter";

export function localAdapter(channel: ElectronicChannel): ChannelAdapter {
  return {
    name: "local",
    channel,
    async send(m: OutgoingMessage, ctx: SendContext): Promise<SendResult> {
      const ref = `local-${channel.toLowerCase()}-${randomUUID()}`;
      const r = await ctx.db.query<{ provider_ref: string }>(
        `insert into outbox_delivery (station_id, message_id, channel, recipient, content, adapter, idempotency_key, provider_ref, recorded_at)
         values ($1, $2, $3::"Channel", $4, $5, 'local', $6, $7, $8)
         on conflict (idempotency_key) do nothing
         returning provider_ref`,
        [m.stationId, m.id, channel, m.recipient, m.content, m.idempotencyKey, ref, ctx.now]);
      if (r.rows[0]) return { providerRef: r.rows[0].provider_ref };
      // already recorded: a statement of its own, so it also sees a row another transaction
      // committed while this insert waited on the key
      const first = await ctx.db.query<{ provider_ref: string }>(
        `select provider_ref from outbox_delivery where idempotency_key = $1`, [m.idempotencyKey]);
      return { providerRef: first.rows[0].provider_ref };
    },
  };
}
