-- CreateTable
CREATE TABLE "ShopRedaction" (
    "shop" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "deletedRows" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopRedaction_pkey" PRIMARY KEY ("shop")
);

