// The outbox page's words: zh and en alike, a name for every status and channel the page can
// show, and every channel of the schema placed on the page's filter.
import { describe, expect, it } from "vitest";
import { Channel } from "@/generated/prisma/enums";
import { catalogs } from "@/lib/i18n/catalog";
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from "@/lib/validation/outbox";

type Tree = { [k: string]: string | Tree };
const keys = (t: Tree, prefix = ""): string[] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));

describe("outbox catalog", () => {
  it("has the same keys in zh and en", () => {
    expect(keys(catalogs.en.outbox as unknown as Tree).sort()).toEqual(keys(catalogs.zh.outbox as unknown as Tree).sort());
  });

  it("names every status and every channel, and filters by every channel of the schema", () => {
    expect([...OUTBOX_CHANNELS].sort()).toEqual(Object.values(Channel).sort());
    for (const loc of ["zh", "en"] as const) {
      const O = catalogs[loc].outbox;
      for (const s of OUTBOX_STATUSES) expect(O.status[s], `${loc} ${s}`).toBeTruthy();
      for (const c of OUTBOX_CHANNELS) expect(O.channels[c], `${loc} ${c}`).toBeTruthy();
    }
  });
});
