-- CreateTable
CREATE TABLE "ShopRedaction" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "requestedAt" DATETIME NOT NULL,
    "deletedRows" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

