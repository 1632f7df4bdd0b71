// Which channel adapter runs is configuration: local by default, per channel overridable, and an
// unknown name is an error (never a silent fall-back that would look like sending).
import { describe, expect, it } from "vitest";
import { adaptersFromEnv } from "@/lib/outbox/adapters";

describe("outbox adapter configuration", () => {
  it("uses the local adapter for every electronic channel by default", () => {
    const a = adaptersFromEnv({});
    expect(Object.fromEntries(Object.entries(a).map(([ch, x]) => [ch, [x.name, x.channel]]))).toEqual({
      SMS: ["local", "SMS"], WECHAT: ["local", "WECHAT"], EMAIL: ["local", "EMAIL"],
    });
    expect(adaptersFromEnv({ OUTBOX_ADAPTER: " local " }).SMS.name).toBe("local");
  });

  it("refuses an adapter it does not know, for all channels or for one", () => {
    expect(() => adaptersFromEnv({ OUTBOX_ADAPTER: "aliyun-sms" })).toThrow(/no channel adapter named "aliyun-sms" for SMS/);
    expect(() => adaptersFromEnv({ OUTBOX_ADAPTER_EMAIL: "smtp" })).toThrow(/"smtp" for EMAIL/);
  });
});
