-- The billing run reads each customer's last 12 periods (kWh, status) in customer-id ranges:
-- with every column it needs in the index, that read is an index-only scan.
-- CreateIndex
CREATE INDEX "bill_history_idx" ON "bill"("customer_id", "period", "kwh", "status");
