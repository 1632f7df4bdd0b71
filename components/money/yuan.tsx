import { formatYuan, type Fen } from "@/lib/domain/money";
import { cn } from "@/components/ui/cn";

/** 123456 → "1,234.56" (display only; the value itself stays in fen). */
export function displayYuan(fen: Fen): string {
  const s = formatYuan(fen);
  const neg = s.startsWith("-");
  const [i, d] = (neg ? s.slice(1) : s).split(".");
  return `${neg ? "-" : ""}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${d}`;
}

/** A money amount with tabular digits; negative amounts in red unless told otherwise. */
export function Yuan({ fen, className, plainNegative, testId }: { fen: Fen; className?: string; plainNegative?: boolean; testId?: string }) {
  return (
    <span className={cn("tabular whitespace-nowrap", fen < 0 && !plainNegative && "text-red-700", className)} data-testid={testId} data-fen={fen}>
      {displayYuan(fen)}
    </span>
  );
}
