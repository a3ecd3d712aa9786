import { Prisma } from "@prisma/client";

/**
 * Every model, parents before children (foreign keys point backwards in this list). Copying a
 * database walks it forwards, deleting a shop walks it backwards. A model added to
 * prisma/schema.prisma must be added here; checkModelOrder() (and a test) says so.
 */
export const MODEL_ORDER = [
  "Session",
  "HealthCheck",
  "QueuedJob",
  "Program",
  // No foreign keys; listed before LedgerEntry so that deleting a shop removes them after the
  // entries, whose delete trigger writes deltas.
  "LedgerRollup",
  "LedgerRollupDelta",
  "ActivityGap",
  "ActivityGapDelta",
  "MemberTally",
  "MemberTallyDelta",
  "Tier",
  "Member",
  "MemberActivity",
  "LedgerEntry",
  "OrderRecord",
  "RefundRecord",
  "TierChange",
  "WebhookDelivery",
  "FailedEvent",
  "DataRequest",
  "Reward",
  "Redemption",
  "Referral",
  "NpsResponse",
  "Campaign",
  "FlowEvent",
  "ImportBatch",
  "ImportRow",
  "TierReevaluation",
  "ShopRedaction",
] as const;

export type ModelName = (typeof MODEL_ORDER)[number];

/**
 * Tables SQL triggers keep from LedgerEntry and Member (docs/decisions/0009-dashboard-rollups.md):
 * a copy does not carry them over, the target's triggers rebuild them as the rows arrive.
 */
export const DERIVED_MODELS: readonly ModelName[] = [
  "LedgerRollup",
  "LedgerRollupDelta",
  "ActivityGap",
  "ActivityGapDelta",
  "MemberTally",
  "MemberTallyDelta",
  "MemberActivity",
];

export function checkModelOrder() {
  const listed = new Set<string>(MODEL_ORDER);
  const missing = Prisma.dmmf.datamodel.models.map((m) => m.name).filter((m) => !listed.has(m));
  if (missing.length) throw new Error(`MODEL_ORDER (app/db/models.ts) lacks ${missing.join(", ")}`);
}

/** Models with a `shop` column: everything a shop owns. */
export const SHOP_MODELS: ModelName[] = MODEL_ORDER.filter((name) =>
  Prisma.dmmf.datamodel.models.find((m) => m.name === name)?.fields.some((f) => f.name === "shop"),
);

/** The Prisma delegate (`prisma.ledgerEntry`…) of a model, on a client or a transaction. */
export function delegateOf<D>(client: object, model: ModelName): D {
  const key = model.charAt(0).toLowerCase() + model.slice(1);
  return (client as Record<string, D>)[key]!;
}
