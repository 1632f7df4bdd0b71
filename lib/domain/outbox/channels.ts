// How each outbox channel reaches the customer (docs/domain/outbox.md §1: one outbox for everything sent).
// Electronic channels go through a gateway adapter (lib/outbox/); paper goes to the print queue
// that staff print and mark delivered; calls are tasks for a person (left to the reminders work).

export const ELECTRONIC_CHANNELS = ["SMS", "WECHAT", "EMAIL"] as const;
// a fax is printed and fed to the fax machine by hand: nothing here talks to a fax gateway
export const PAPER_CHANNELS = ["POST", "ON_SITE", "POSTED_NOTICE", "FAX"] as const;
export const CALL_CHANNELS = ["PHONE", "LANDLINE"] as const;

export type ElectronicChannel = (typeof ELECTRONIC_CHANNELS)[number];
export type PaperChannel = (typeof PAPER_CHANNELS)[number];
export type DeliveryRoute = "GATEWAY" | "PRINT" | "CALL";

export function deliveryRoute(channel: string): DeliveryRoute {
  if ((ELECTRONIC_CHANNELS as readonly string[]).includes(channel)) return "GATEWAY";
  if ((PAPER_CHANNELS as readonly string[]).includes(channel)) return "PRINT";
  return "CALL";
}

export function isElectronic(channel: string): channel is ElectronicChannel {
  return deliveryRoute(channel) === "GATEWAY";
}
