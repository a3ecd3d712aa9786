import { describe, expect, it } from "vitest";
import type { RuleSnapshot } from "./earning";
import type { ExplainInput } from "./explain";
import { explainOrder, orderOutcome } from "./explain";

const paidAt = new Date("2026-03-01T10:00:00Z");
const rule: RuleSnapshot = {
  earnPoints: 1,
  perAmount: "1",
  rounding: "DOWN",
  multiplierPercent: 150,
  tier: "Gold",
  basisMinor: 4599,
  currency: "USD",
  taxesIncluded: true,
  pendingDays: 14,
};

function input(
  overrides: Partial<ExplainInput["order"]> = {},
  rest: Partial<ExplainInput> = {},
): ExplainInput {
  return {
    order: {
      orderId: "1",
      name: "#1001",
      status: "EARNED",
      skipReason: null,
      customerId: "7",
      currency: "USD",
      totalMinor: 5099,
      basisMinor: 4599,
      earnedPoints: 68,
      clawedBackPoints: 0,
      pendingRemaining: 68,
      availableAt: new Date("2026-03-15T10:00:00Z"),
      paidAt,
      cancelledAt: null,
      rule,
      ...overrides,
    },
    entries: [
      {
        kind: "EARN",
        points: 0,
        pendingPoints: 68,
        shortfall: 0,
        occurredAt: paidAt,
        sourceId: "1",
      },
    ],
    refunds: [],
    rewardCodes: [],
    pointsName: { one: "star", other: "stars" },
    now: new Date("2026-03-02T00:00:00Z"),
    ...rest,
  };
}

describe("explaining an order", () => {
  it("names the tier multiplier, the included tax and the pending period", () => {
    const result = explainOrder(input());
    expect(result.headline).toBe("Earned 68 stars");
    expect(result.lines.map((l) => l.detail)).toEqual([
      "45.99 USD: the subtotal after discounts, without shipping and with the included tax taken out.",
      "1 star per 1 USD, × 1.5 for Gold, rounded down once per order.",
      "68 stars were held for the 14-day pending period.",
      "68 stars become spendable on 2026-03-15.",
    ]);
  });

  it("reports a shortfall the balance floor kept", () => {
    const result = explainOrder(
      input(
        { clawedBackPoints: 68, pendingRemaining: 0 },
        {
          entries: [
            {
              kind: "EARN",
              points: 68,
              pendingPoints: 0,
              shortfall: 0,
              occurredAt: paidAt,
              sourceId: "1",
            },
            {
              kind: "REFUND_CLAWBACK",
              points: -8,
              pendingPoints: 0,
              shortfall: 60,
              occurredAt: paidAt,
              sourceId: "r1",
            },
          ],
          refunds: [
            { refundId: "r1", subtotalMinor: 4599, createdAtShopify: paidAt, appliedAt: paidAt },
          ],
        },
      ),
    );
    expect(result.lines.slice(-2).map((l) => l.title)).toEqual([
      "Refund took back 8 stars",
      "60 stars could not be taken back",
    ]);
    expect(result.net).toBe(0);
    expect(result.tone).toBe("critical");
  });

  it("explains an order too small to earn and a refund still waiting", () => {
    const result = explainOrder(
      input(
        { earnedPoints: 0, pendingRemaining: 0, basisMinor: 50, status: "EARNED" },
        {
          entries: [],
          refunds: [
            { refundId: "r", subtotalMinor: 50, createdAtShopify: paidAt, appliedAt: null },
          ],
        },
      ),
    );
    expect(result.headline).toBe("No points: nothing to earn");
    expect(result.lines.map((l) => l.title)).toContain("Refund waiting");
  });

  it("falls back gracefully for a skip reason it does not know", () => {
    const result = explainOrder(input({ status: "SKIPPED", skipReason: "SOMETHING_NEW" }));
    expect(result.lines[0]!.detail).toBe("The order was skipped (SOMETHING_NEW).");
  });
});

describe("order outcome", () => {
  it("summarises in a few words", () => {
    const base = {
      status: "EARNED",
      skipReason: null,
      earnedPoints: 10,
      clawedBackPoints: 0,
      paidAt,
    };
    expect(orderOutcome(base)).toBe("Earned 10");
    expect(orderOutcome({ ...base, clawedBackPoints: 4 })).toBe("Earned 10, 4 taken back");
    expect(orderOutcome({ ...base, status: "SKIPPED", skipReason: "TEST_ORDER" })).toBe(
      "No points: test order",
    );
    expect(orderOutcome({ ...base, paidAt: null })).toBe("Not paid yet");
  });
});
