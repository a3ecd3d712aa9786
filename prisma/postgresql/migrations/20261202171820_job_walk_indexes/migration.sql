-- CreateIndex
CREATE INDEX "Member_expiresAt_idx" ON "Member"("expiresAt");

-- CreateIndex
CREATE INDEX "OrderRecord_pendingRemaining_availableAt_idx" ON "OrderRecord"("pendingRemaining", "availableAt");

