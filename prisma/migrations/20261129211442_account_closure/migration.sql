-- Account closure (销户): the site check's result on the visit, refunds of prepaid funds (REFUND
-- ledger kind, refund table, a refund's allocation row with refund_id and no payment).
-- AlterEnum
ALTER TYPE "LedgerKind" ADD VALUE 'REFUND';

-- AlterTable
ALTER TABLE "payment_allocation" ADD COLUMN     "refund_id" INTEGER,
ALTER COLUMN "payment_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "visit" ADD COLUMN     "final_reading" DECIMAL(12,2),
ADD COLUMN     "note" TEXT,
ADD COLUMN     "recorded_by" INTEGER;

-- CreateTable
CREATE TABLE "refund" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "channel" VARCHAR(20) NOT NULL,
    "payee" TEXT NOT NULL,
    "bank_account_masked" VARCHAR(40),
    "status" VARCHAR(12) NOT NULL DEFAULT 'PENDING',
    "approval_id" INTEGER,
    "reason" TEXT,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),
    "paid_by" INTEGER,
    "reference" VARCHAR(80),

    CONSTRAINT "refund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "refund_approval_id_key" ON "refund"("approval_id");

-- CreateIndex
CREATE INDEX "refund_station_id_status_idx" ON "refund"("station_id", "status");

-- CreateIndex
CREATE INDEX "refund_customer_id_idx" ON "refund"("customer_id");

-- CreateIndex
CREATE INDEX "payment_allocation_refund_id_idx" ON "payment_allocation"("refund_id");

-- AddForeignKey
ALTER TABLE "payment_allocation" ADD CONSTRAINT "payment_allocation_refund_id_fkey" FOREIGN KEY ("refund_id") REFERENCES "refund"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- a prepaid-pool row belongs to exactly one document: a payment or a refund
ALTER TABLE "payment_allocation" ADD CONSTRAINT "payment_allocation_one_source" CHECK (("payment_id" IS NULL) <> ("refund_id" IS NULL));
ALTER TABLE "refund" ADD CONSTRAINT "refund_amount_positive" CHECK ("amount" > 0);
