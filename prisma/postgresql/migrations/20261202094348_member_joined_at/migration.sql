-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Existing members joined no later than the row was created, or than their earliest entry.
UPDATE "Member" m SET "joinedAt" = LEAST(
  m."createdAt",
  COALESCE((SELECT MIN(e."occurredAt") FROM "LedgerEntry" e WHERE e."memberId" = m."id"), m."createdAt")
);

-- CreateIndex
CREATE INDEX "Member_shop_joinedAt_idx" ON "Member"("shop", "joinedAt");

