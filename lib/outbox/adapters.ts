// Which adapter serves each electronic channel, from the environment:
//   OUTBOX_ADAPTER=local              (the default) every channel through the local adapter
//   OUTBOX_ADAPTER_SMS=<name>         one channel through another adapter (also _WECHAT, _EMAIL)
// A real gateway plugs in as one file implementing ChannelAdapter (lib/outbox/adapter.ts) and
// one line in REGISTRY below. An unknown name stops the dispatcher with an error (messages stay
// PENDING): never a silent fall-back that would look like sending.
import { ELECTRONIC_CHANNELS, type ElectronicChannel } from "@/lib/domain/outbox/channels";
import type { ChannelAdapter } from "./adapter";
import { localAdapter } from "./local-adapter";

export type AdapterSet = Record<ElectronicChannel, ChannelAdapter>;

const REGISTRY: Record<string, (channel: ElectronicChannel) => ChannelAdapter> = {
  local: localAdapter,
  // e.g. "aliyun-sms": (ch) => aliyunSmsAdapter(ch, { keyId: process.env.ALIYUN_SMS_KEY_ID!, … }),
};

export function adaptersFromEnv(env: Record<string, string | undefined> = process.env): AdapterSet {
  const base = env.OUTBOX_ADAPTER?.trim() || "local";
  const out = {} as AdapterSet;
  for (const ch of ELECTRONIC_CHANNELS) {
    const name = env[`OUTBOX_ADAPTER_${ch}`]?.trim() || base;
    const make = REGISTRY[name];
    if (!make) throw new Error(`outbox: no channel adapter named "${name}" for ${ch} (known: ${Object.keys(REGISTRY).join(", ")})`);
    const a = make(ch);
    if (a.channel !== ch) throw new Error(`outbox: adapter "${name}" serves ${a.channel}, not ${ch}`);
    out[ch] = a;
  }
  return out;
}
