-- CreateTable
CREATE TABLE "QueuedJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "key" TEXT,
    "data" JSONB NOT NULL,
    "runAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "QueuedJob_finishedAt_runAfter_idx" ON "QueuedJob"("finishedAt", "runAfter");

-- CreateIndex
CREATE INDEX "QueuedJob_name_key_idx" ON "QueuedJob"("name", "key");

