-- Counter search: one box for customer no., payment no., meter no., name, phone and address,
-- partial and mixed, under 50 ms at 1,000,000 customers (issue 5).
--  * customer no., payment no., meter no.: exact or prefix, answered by the existing unique
--    btree indexes (station_id, …_no) through range conditions (C.UTF-8 orders by code point),
--  * name, address, phone fragments of 3+ characters: pg_trgm GIN indexes (the database must use
--    a UTF-8 locale such as C.UTF-8, or pg_trgm ignores Chinese characters, environment.md),
--  * fragments of exactly 2 characters (most Chinese given names, 幸福 of 幸福路) have no
--    trigram: a GIN index over the 2-character windows of name and address answers them.
-- (No semicolons in comments: the pg driver adapter splits migration scripts on them.)
-- Generated with `prisma migrate diff --from-schema-datamodel … --to-schema-datamodel …`:
-- Prisma 6.19's schema engine cannot introspect PostgreSQL 18 (NOT NULL constraints are
-- pg_constraint rows of type 'n' and the wasm engine aborts), so `migrate dev` is not usable.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "customer_name_trgm" ON "customer" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_address_trgm" ON "customer" USING GIN ("address" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_phone_trgm" ON "customer" USING GIN ("phone" gin_trgm_ops);

-- The distinct 2-character windows of a text (lower-cased, none containing white space).
-- IMMUTABLE so it can back an expression index, Prisma does not model expression indexes.
CREATE OR REPLACE FUNCTION counter_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
  FROM (SELECT substr(lower(t), i, 2) AS g FROM generate_series(1, char_length(t) - 1) AS i) s
  WHERE g !~ '\s'
$$;

CREATE INDEX "customer_search_bigrams" ON "customer" USING GIN (counter_bigrams("name" || ' ' || "address"));
