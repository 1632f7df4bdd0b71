import { describe, expect, it } from "vitest";
import { Role } from "@/generated/prisma/enums";
import { can } from "@/lib/auth/permissions";
import { HOME_BY_ROLE, NAV, activeHref, homeFor, navFor } from "@/lib/nav";
import { catalogs } from "@/lib/i18n/catalog";
import { hasMessage } from "@/lib/i18n/core";

const ROLES = Object.values(Role);

describe("navigation", () => {
  it("shows each role exactly the entries whose permission it holds", () => {
    for (const role of ROLES) {
      const hrefs = navFor(role).map((e) => e.href).sort();
      const expected = NAV.filter((e) => can(role, e.permission)).map((e) => e.href).sort();
      expect(hrefs).toEqual(expected);
    }
  });

  it("puts each role's home first, and the role may open its home", () => {
    for (const role of ROLES) {
      const nav = navFor(role);
      expect(nav[0]?.href).toBe(homeFor(role));
    }
  });

  it("keeps each role's own areas away from the others", () => {
    expect(navFor("CLERK").map((e) => e.href)).not.toContain("/admin/users");
    expect(navFor("READER").map((e) => e.href)).toEqual(["/reader"]);
    expect(navFor("ADMIN").map((e) => e.href)).not.toContain("/counter");
    expect(navFor("MANAGER").map((e) => e.href)).toContain("/approvals");
    expect(navFor("AUDITOR").map((e) => e.href)).not.toContain("/dashboard");
  });

  it("has a label in both catalogs for every entry and role", () => {
    for (const e of NAV) {
      expect(hasMessage("zh", e.labelKey), e.labelKey).toBe(true);
      expect(hasMessage("en", e.labelKey), e.labelKey).toBe(true);
    }
    for (const r of ROLES) expect(hasMessage("zh", `shell.roles.${r}`)).toBe(true);
    expect(Object.keys(HOME_BY_ROLE).sort()).toEqual([...ROLES].sort());
  });

  it("highlights the longest matching entry", () => {
    const items = [{ href: "/audit" }, { href: "/audit/runs" }, { href: "/admin/users" }];
    expect(activeHref("/audit", items)).toBe("/audit");
    expect(activeHref("/audit/runs/12", items)).toBe("/audit/runs");
    expect(activeHref("/auditx", items)).toBe(null);
    expect(activeHref("/admin/users/3", items)).toBe("/admin/users");
  });
});

describe("platform catalogs", () => {
  type Tree = { [k: string]: string | Tree };
  const keys = (t: Tree, prefix = ""): string[] =>
    Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));

  it.each(["common", "auth", "shell", "admin", "dashboard", "errors"] as const)("zh and en %s have the same keys", (area) => {
    expect(keys(catalogs.en[area] as Tree).sort()).toEqual(keys(catalogs.zh[area] as Tree).sort());
  });
});
