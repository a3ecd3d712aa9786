/**
 * The redemption state machine. Points and a code must never both stay with the shopper, and
 * never both be lost: every move between states is a conditional update on the state the row is
 * in (app/loyalty/redemptions.server.ts), so a late answer cannot flip a settled row.
 *
 *   PENDING ──code confirmed──▶ ISSUED ──order used it──▶ USED
 *      │                          ├──end date passed──▶ EXPIRED ──late order──▶ USED
 *      │                          └──merchant cancels (code deactivated, points back)──▶ CANCELLED
 *      ├──Shopify refused / no code after the settle window (points back)──▶ FAILED
 *      └──order used the code before we heard back──▶ USED
 * FAILED, CANCELLED and EXPIRED rows still move to USED when an order used the code after all;
 * their returned points are then taken again.
 *
 * Store credit (app/loyalty/store-credit.server.ts) moves the same way, "code confirmed" being
 * "credit confirmed" and "cancels" being "takes the credit back". It is never USED (credit is
 * spent at checkout without naming the reward). A FAILED one whose credit Shopify made after all
 * becomes ISSUED with its returned points taken again: the one move outside this table, made
 * only by the worker's check of failed store credit (creditFoundAfterReturn).
 */

export type RedemptionState = "PENDING" | "ISSUED" | "FAILED" | "USED" | "EXPIRED" | "CANCELLED";

export const TRANSITIONS: Readonly<Record<RedemptionState, readonly RedemptionState[]>> = {
  PENDING: ["ISSUED", "FAILED", "USED"],
  ISSUED: ["USED", "EXPIRED", "CANCELLED"],
  EXPIRED: ["USED"],
  // A code is only ever settled as unusable by us; an order that used it anyway is the truth.
  FAILED: ["USED"],
  USED: [],
  CANCELLED: ["USED"],
};

/** The states a row may be in for a move to `to`. */
export function statesLeadingTo(to: RedemptionState): RedemptionState[] {
  return (Object.keys(TRANSITIONS) as RedemptionState[]).filter((from) =>
    TRANSITIONS[from].includes(to),
  );
}

export function canMove(from: RedemptionState, to: RedemptionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What creating the code in Shopify came to. */
export type CreateOutcome =
  | { kind: "created"; discountId: string }
  /** Shopify certainly did not create it (it refused the input, or never received the call). */
  | { kind: "refused"; reason: string }
  /** It may have: the answer was lost, timed out, was a 5xx, or said the code is taken. */
  | { kind: "unknown"; reason: string };

/** What asking Shopify for the code (codeDiscountNodeByCode) came to. */
export type LookupOutcome =
  { kind: "found"; discountId: string } | { kind: "absent" } | { kind: "unknown"; reason: string };

export type Decision =
  /** discountId: the discount's id; for store credit, the credit transaction's. */
  | { to: "ISSUED"; discountId: string }
  | { to: "FAILED"; reason: string }
  /** Stay PENDING: look again later (the shopper is told it is still being prepared). */
  | { to: "PENDING"; reason: string };

/**
 * What a PENDING redemption becomes. "Absent" only means "no code" once the settle window has
 * passed: before that, a call Shopify is still processing (one we gave up waiting for) could yet
 * create it, and returning the points then would leave the shopper with both.
 */
export function decide(input: {
  create?: CreateOutcome;
  lookup?: LookupOutcome;
  ageMs: number;
  settleWindowMs: number;
}): Decision {
  const { create, lookup } = input;
  if (create?.kind === "created") return { to: "ISSUED", discountId: create.discountId };
  if (create?.kind === "refused") return { to: "FAILED", reason: create.reason };
  if (lookup?.kind === "found") return { to: "ISSUED", discountId: lookup.discountId };
  if (lookup?.kind === "absent" && input.ageMs >= input.settleWindowMs) {
    return { to: "FAILED", reason: "the discount code was never created" };
  }
  const why =
    lookup?.kind === "unknown"
      ? lookup.reason
      : create?.kind === "unknown"
        ? create.reason
        : "the code's creation has not been confirmed yet";
  return { to: "PENDING", reason: why };
}
