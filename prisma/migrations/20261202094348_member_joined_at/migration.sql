-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Member" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "lifetimeEarned" INTEGER NOT NULL DEFAULT 0,
    "tierId" TEXT,
    "lastActivityAt" DATETIME,
    "expiresAt" DATETIME,
    "grantedTierId" TEXT,
    "grantedTierUntil" DATETIME,
    "grantedTierSource" TEXT,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Member_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "Tier" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- Existing members joined no later than the row was created, or than their earliest entry.
INSERT INTO "new_Member" ("balance", "createdAt", "customerId", "email", "expiresAt", "firstName", "grantedTierId", "grantedTierSource", "grantedTierUntil", "id", "joinedAt", "lastActivityAt", "lastName", "lifetimeEarned", "pendingPoints", "shop", "tierId", "updatedAt") SELECT "balance", "createdAt", "customerId", "email", "expiresAt", "firstName", "grantedTierId", "grantedTierSource", "grantedTierUntil", "id", "createdAt", "lastActivityAt", "lastName", "lifetimeEarned", "pendingPoints", "shop", "tierId", "updatedAt" FROM "Member";
UPDATE "new_Member" SET "joinedAt" = (SELECT MIN(e."occurredAt") FROM "LedgerEntry" e WHERE e."memberId" = "new_Member"."id")
WHERE (SELECT MIN(e."occurredAt") FROM "LedgerEntry" e WHERE e."memberId" = "new_Member"."id") < "joinedAt";
DROP TABLE "Member";
ALTER TABLE "new_Member" RENAME TO "Member";
CREATE INDEX "Member_shop_balance_idx" ON "Member"("shop", "balance");
CREATE INDEX "Member_shop_joinedAt_idx" ON "Member"("shop", "joinedAt");
CREATE INDEX "Member_shop_email_idx" ON "Member"("shop", "email");
CREATE INDEX "Member_shop_expiresAt_idx" ON "Member"("shop", "expiresAt");
CREATE UNIQUE INDEX "Member_shop_customerId_key" ON "Member"("shop", "customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

