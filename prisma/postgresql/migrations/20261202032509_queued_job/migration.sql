-- CreateTable
CREATE TABLE "QueuedJob" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT,
    "data" JSONB NOT NULL,
    "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QueuedJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QueuedJob_finishedAt_runAfter_idx" ON "QueuedJob"("finishedAt", "runAfter");

-- CreateIndex
CREATE INDEX "QueuedJob_name_key_idx" ON "QueuedJob"("name", "key");

