-- Why each allocation row exists: the posting itself (what its receipt shows) or a later move of
-- the same money. Adding a column with a constant default rewrites nothing.

-- CreateEnum
CREATE TYPE "AllocationOrigin" AS ENUM ('PAYMENT', 'REVERSAL', 'PREPAID_APPLIED', 'PREPAID_RECLAIMED', 'BILL_REVERSED', 'REFUND');

-- AlterTable
ALTER TABLE "payment_allocation" ADD COLUMN     "origin" "AllocationOrigin" NOT NULL DEFAULT 'PAYMENT';

-- Existing rows: a refund's rows, and the opposite half of a reversed payment's rows (until now
-- a reversal was the only later move, written after the originals)
UPDATE "payment_allocation" SET "origin" = 'REFUND' WHERE "refund_id" IS NOT NULL;
UPDATE "payment_allocation" a SET "origin" = 'REVERSAL'
  FROM (SELECT id, row_number() OVER (PARTITION BY payment_id ORDER BY id) AS rn, count(*) OVER (PARTITION BY payment_id) AS n
          FROM "payment_allocation" WHERE "payment_id" IN (SELECT id FROM "payment" WHERE "status" = 'REVERSED')) x
 WHERE a.id = x.id AND x.rn > x.n / 2;
