import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { assertLocalUrl } from "../support/local-url";

describe("integration harness", () => {
  it("runs against a migrated, empty, local database of its own", async () => {
    assertLocalUrl(process.env.DATABASE_URL!);
    expect(await prisma.customer.count()).toBe(0);
    const ext = await prisma.$queryRaw<{ n: bigint }[]>`select count(*) as n from _prisma_migrations`;
    expect(Number(ext[0].n)).toBeGreaterThan(0);
  });

  it("refuses a non-local DATABASE_URL", () => {
    expect(() => assertLocalUrl("postgresql://u:p@db.example.com:5432/x")).toThrow(/非本机/);
    expect(() => assertLocalUrl("postgresql://u:p@127.0.0.1:5432/x")).not.toThrow();
  });
});
