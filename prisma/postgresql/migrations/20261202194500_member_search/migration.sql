-- Members search by any part of an email address or name (issue #15: LIKE '%…%' over three columns
-- took 4.7–7.5 s at 1M members). Trigram GIN indexes serve ILIKE '%word%' for words of 3+
-- characters. pg_trgm ships with PostgreSQL and is a trusted extension (13+): the database's
-- owner may create it. Prisma's schema cannot declare these: docs/decisions/0008-member-search-indexes.md.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Member_email_trgm_idx" ON "Member" USING gin ("email" gin_trgm_ops);
CREATE INDEX "Member_firstName_trgm_idx" ON "Member" USING gin ("firstName" gin_trgm_ops);
CREATE INDEX "Member_lastName_trgm_idx" ON "Member" USING gin ("lastName" gin_trgm_ops);
