-- Prepaid funds per customer are read at every payment (issue 5). Generated with prisma migrate diff
-- --from-schema-datamodel (migrate dev cannot introspect PostgreSQL 18 with Prisma 6.19).

-- CreateIndex
CREATE INDEX "payment_allocation_customer_id_bill_id_idx" ON "payment_allocation"("customer_id", "bill_id");

