"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { activeHref } from "@/lib/nav";
import { cn } from "@/components/ui/cn";

/** The role's navigation; the current area is highlighted (longest matching prefix). */
export function NavLinks({ items, label }: { items: { href: string; label: string }[]; label: string }) {
  const pathname = usePathname() ?? "/";
  const active = activeHref(pathname, items);
  return (
    <nav aria-label={label} className="-mb-px flex gap-1 overflow-x-auto">
      {items.map((i) => (
        <Link
          key={i.href}
          href={i.href}
          aria-current={i.href === active ? "page" : undefined}
          className={cn(
            "flex min-h-11 items-center border-b-2 px-3 text-base whitespace-nowrap",
            i.href === active
              ? "border-brand-600 font-semibold text-brand-700"
              : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
          )}
        >
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
