-- CreateTable
CREATE TABLE "outbox_delivery" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "message_id" INTEGER NOT NULL,
    "channel" "Channel" NOT NULL,
    "recipient" VARCHAR(120) NOT NULL,
    "content" TEXT NOT NULL,
    "adapter" VARCHAR(40) NOT NULL,
    "idempotency_key" VARCHAR(120) NOT NULL,
    "provider_ref" VARCHAR(80) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_delivery_idempotency_key_key" ON "outbox_delivery"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_delivery_provider_ref_key" ON "outbox_delivery"("provider_ref");

-- CreateIndex
CREATE INDEX "outbox_delivery_message_id_idx" ON "outbox_delivery"("message_id");

-- CreateIndex
CREATE INDEX "outbox_delivery_station_id_recorded_at_idx" ON "outbox_delivery"("station_id", "recorded_at");

