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
  it("says what each earning rule gave, when the order was earned under more than one", () => {
    const contributions = [
      { rule: "ORDER_SPEND" as const, points: 45 },
      { rule: "TIER_MULTIPLIER" as const, points: 23, tier: "Gold", multiplierPercent: 150 },
    ];
    const result = explainOrder(input({ rule: { ...rule, contributions } }));
    expect(result.lines.find((l) => l.title === "Earned 68 stars")?.detail).toBe(
      "45 stars from the earn rate, 23 stars from the Gold tier (× 1.5). 68 stars were held for the 14-day pending period.",
    );
    const campaigns = [
      { rule: "ORDER_SPEND" as const, points: 45 },
      {
        rule: "CAMPAIGN_MULTIPLIER" as const,
        points: 45,
        campaign: "Double points weekend",
        multiplierPercent: 200,
      },
      { rule: "CAMPAIGN_BONUS" as const, points: 100, campaign: "Big baskets", minimumMinor: 5000 },
    ];
    expect(
      explainOrder(input({ rule: { ...rule, contributions: campaigns } })).lines.find((l) =>
        l.title.startsWith("Earned"),
      )?.detail,
    ).toMatch(
      /^45 stars from the earn rate, 45 stars from the campaign “Double points weekend” \(× 2\), 100 stars bonus from the campaign “Big baskets”\. /,
    );
    // The rate alone needs no breakdown.
    const alone = explainOrder(
      input({ rule: { ...rule, contributions: [{ rule: "ORDER_SPEND", points: 68 }] } }),
    );
    expect(alone.lines.find((l) => l.title === "Earned 68 stars")?.detail).toBe(
      "68 stars were held for the 14-day pending period.",
    );
  });

  it("names the tier multiplier, the included tax and the pending period", () => {
    const result = explainOrder(input());
    expect(result.headline).toBe("Earned 68 stars");
    expect(result.lines.map((l) => l.detail)).toEqual([
      "$45.99: the subtotal after discounts, without shipping and with the included tax taken out.",
      "1 star per $1.00, × 1.5 for Gold, rounded down once per order.",
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

describe("explaining an earned order, line by line", () => {
  it("spells out every line of an award still in its pending period", () => {
    expect(explainOrder(input())).toEqual({
      headline: "Earned 68 stars",
      tone: "success",
      net: 68,
      lines: [
        {
          tone: "info",
          title: "Earning amount",
          detail:
            "$45.99: the subtotal after discounts, without shipping and with the included tax taken out.",
          at: "2026-03-01T10:00:00.000Z",
        },
        {
          tone: "info",
          title: "Rule at the time",
          detail: "1 star per $1.00, × 1.5 for Gold, rounded down once per order.",
        },
        {
          tone: "success",
          title: "Earned 68 stars",
          detail: "68 stars were held for the 14-day pending period.",
          points: 68,
          at: "2026-03-01T10:00:00.000Z",
        },
        {
          tone: "info",
          title: "Still pending",
          detail: "68 stars become spendable on 2026-03-15.",
        },
      ],
    });
  });

  // A held order approved the same afternoon: the points date from the approval, not the payment.
  it("dates spendable points from when they were credited", () => {
    const approvedAt = new Date("2026-03-01T15:30:00Z");
    const result = explainOrder(
      input(
        {
          currency: "EUR",
          totalMinor: 12990,
          basisMinor: 12000,
          earnedPoints: 60,
          pendingRemaining: 0,
          availableAt: null,
          rule: {
            ...rule,
            earnPoints: 5,
            perAmount: "10",
            rounding: "NEAREST",
            multiplierPercent: 100,
            tier: "Silver",
            basisMinor: 12000,
            currency: "EUR",
            taxesIncluded: false,
            pendingDays: 0,
          },
        },
        {
          entries: [
            {
              kind: "EARN",
              points: 60,
              pendingPoints: 0,
              shortfall: 0,
              occurredAt: approvedAt,
              sourceId: "1",
            },
          ],
        },
      ),
    );
    expect(result).toEqual({
      headline: "Earned 60 stars",
      tone: "success",
      net: 60,
      lines: [
        {
          tone: "info",
          title: "Earning amount",
          detail: "€120.00: the subtotal after discounts, without shipping and without tax.",
          at: "2026-03-01T10:00:00.000Z",
        },
        {
          tone: "info",
          title: "Rule at the time",
          detail:
            "5 stars per €10.00 (Silver tier, no multiplier), rounded to the nearest point once per order.",
        },
        {
          tone: "success",
          title: "Earned 60 stars",
          detail: "Spendable at once.",
          points: 60,
          at: "2026-03-01T15:30:00.000Z",
        },
      ],
    });
  });

  it("describes the rule of a member without a tier and of a tier whose name was not kept", () => {
    const ruleLine = (snapshot: Partial<RuleSnapshot>) =>
      explainOrder(input({ rule: { ...rule, ...snapshot } })).lines[1]!.detail;
    expect(ruleLine({ multiplierPercent: 100, tier: null })).toBe(
      "1 star per $1.00, rounded down once per order.",
    );
    expect(ruleLine({ multiplierPercent: 200, tier: null, rounding: "UP" })).toBe(
      "1 star per $1.00, × 2 for the member's tier, rounded up once per order.",
    );
  });

  // The snapshot is what the points were computed from, so its currency wins if the order's own
  // column ever says otherwise.
  it("shows amounts in the currency of the rule snapshot", () => {
    const result = explainOrder(input({ currency: "CAD" }));
    expect(result.lines[0]!.detail).toMatch(/^\$45\.99: /);
  });

  it("copes with an order recorded without a rule snapshot or currency", () => {
    const result = explainOrder(
      input(
        { rule: null, currency: null, earnedPoints: 45, pendingRemaining: 45 },
        {
          entries: [
            {
              kind: "EARN",
              points: 0,
              pendingPoints: 45,
              shortfall: 0,
              occurredAt: paidAt,
              sourceId: "1",
            },
          ],
        },
      ),
    );
    expect(result.lines.map((l) => l.detail)).toEqual([
      "$45.99: the subtotal after discounts, without shipping and without tax.",
      "45 stars were held for the pending period.",
      "45 stars become spendable on 2026-03-15.",
    ]);
  });

  // A hand-edited row must not break the page: the amount is still shown, in minor units.
  it("shows the raw amount when the stored currency is not a currency code", () => {
    const result = explainOrder(input({ rule: null, currency: "EURO" }));
    expect(result.lines[0]!.detail).toBe(
      "4599 (minor units): the subtotal after discounts, without shipping and without tax.",
    );
  });

  // customers/redact deletes the member's ledger but keeps the order's figures, anonymised.
  it("still explains an order whose customer's data was erased", () => {
    const result = explainOrder(
      input({ name: null, customerId: null, pendingRemaining: 0 }, { entries: [] }),
    );
    expect(result.headline).toBe("Earned 68 stars");
    expect(result.lines[2]).toMatchObject({
      title: "Earned 68 stars",
      points: 68,
      at: "2026-03-01T10:00:00.000Z",
    });
  });

  it("says when pending points were released and nothing is pending any more", () => {
    const releasedAt = new Date("2026-03-15T10:05:00Z");
    const result = explainOrder(
      input(
        { pendingRemaining: 0 },
        {
          entries: [
            {
              kind: "EARN",
              points: 0,
              pendingPoints: 68,
              shortfall: 0,
              occurredAt: paidAt,
              sourceId: "1",
            },
            {
              kind: "RELEASE",
              points: 68,
              pendingPoints: -68,
              shortfall: 0,
              occurredAt: releasedAt,
              sourceId: "1",
            },
          ],
          now: new Date("2026-03-20T00:00:00Z"),
        },
      ),
    );
    expect(result.lines.slice(3)).toEqual([
      {
        tone: "success",
        title: "Pending points became spendable",
        detail: "68 stars released after the pending period.",
        at: "2026-03-15T10:05:00.000Z",
      },
    ]);
  });

  // Releases run on a schedule: points due now (or overdue) wait for the next run.
  it("says overdue pending points go out at the next scheduled run", () => {
    const availableAt = new Date("2026-03-15T10:00:00Z");
    const stillPending = (now: Date) =>
      explainOrder(input({ availableAt }, { now })).lines[3]!.detail;
    expect(stillPending(availableAt)).toBe(
      "68 stars become spendable on 2026-03-15 (at the next scheduled run).",
    );
    expect(stillPending(new Date("2026-03-16T08:00:00Z"))).toBe(
      "68 stars become spendable on 2026-03-15 (at the next scheduled run).",
    );
    expect(stillPending(new Date("2026-03-15T09:59:59Z"))).toBe(
      "68 stars become spendable on 2026-03-15.",
    );
  });

  it("matches each refund with what it took back", () => {
    const result = explainOrder(
      input(
        { clawedBackPoints: 20, pendingRemaining: 48 },
        {
          entries: [
            {
              kind: "EARN",
              points: 0,
              pendingPoints: 68,
              shortfall: 0,
              occurredAt: paidAt,
              sourceId: "1",
            },
            // Taken from the order's own pending points; the shipping refund took nothing.
            {
              kind: "REFUND_CLAWBACK",
              points: 0,
              pendingPoints: -20,
              shortfall: 0,
              occurredAt: new Date("2026-03-03T12:00:05Z"),
              sourceId: "915773210941",
            },
          ],
          refunds: [
            {
              refundId: "915773210941",
              subtotalMinor: 1350,
              createdAtShopify: new Date("2026-03-03T12:00:00Z"),
              appliedAt: new Date("2026-03-03T12:00:05Z"),
            },
            {
              refundId: "915773210942",
              subtotalMinor: 500,
              createdAtShopify: new Date("2026-03-04T09:00:00Z"),
              appliedAt: new Date("2026-03-04T09:00:03Z"),
            },
          ],
          now: new Date("2026-03-05T00:00:00Z"),
        },
      ),
    );
    expect(result.headline).toBe("Earned 68 stars, 20 stars taken back");
    expect(result.tone).toBe("success");
    expect(result.net).toBe(48);
    expect(result.lines[3]!.detail).toBe("48 stars become spendable on 2026-03-15.");
    expect(result.lines[4]).toEqual({
      tone: "critical",
      title: "Refund took back 20 stars",
      detail: "Refund of $13.50 (its share of the earning amount).",
      points: -20,
      at: "2026-03-03T12:00:00.000Z",
    });
    expect(result.lines[5]).toMatchObject({
      tone: "info",
      title: "Refund took nothing back",
      detail: "Refund of $5.00: shipping, tax or rounding only, or the points were already gone.",
      at: "2026-03-04T09:00:00.000Z",
    });
    // 0, not -0: the order page shows a line's points unless they are 0.
    expect(result.lines[5]!.points).toBe(0);
    expect(result.lines).toHaveLength(6);
  });

  it("lists a refund that arrived before the payment was applied", () => {
    const result = explainOrder(
      input(
        { earnedPoints: 0, pendingRemaining: 0, availableAt: null, basisMinor: 50, totalMinor: 50 },
        {
          entries: [],
          refunds: [
            {
              refundId: "915773210941",
              subtotalMinor: 50,
              createdAtShopify: new Date("2026-03-01T09:58:00Z"),
              appliedAt: null,
            },
          ],
        },
      ),
    );
    expect(result.lines.slice(2)).toEqual([
      {
        tone: "warning",
        title: "Nothing to earn",
        detail: "$0.50 earns less than one point at this rate.",
      },
      {
        tone: "info",
        title: "Refund waiting",
        detail: "A refund of $0.50 will be applied when the order is paid.",
        at: "2026-03-01T09:58:00.000Z",
      },
    ]);
    expect(result.tone).toBe("warning");
    expect(result.net).toBe(0);
  });
});

describe("explaining a cancelled order", () => {
  const cancelledAt = new Date("2026-03-03T09:00:00Z");

  it("reverses the points still pending", () => {
    const result = explainOrder(
      input(
        { cancelledAt, clawedBackPoints: 68, pendingRemaining: 0 },
        {
          entries: [
            {
              kind: "EARN",
              points: 0,
              pendingPoints: 68,
              shortfall: 0,
              occurredAt: paidAt,
              sourceId: "1",
            },
            {
              kind: "CANCEL_REVERSAL",
              points: 0,
              pendingPoints: -68,
              shortfall: 0,
              occurredAt: cancelledAt,
              sourceId: "1",
            },
          ],
        },
      ),
    );
    expect(result.headline).toBe("Earned 68 stars, 68 stars taken back");
    expect(result.tone).toBe("critical");
    expect(result.net).toBe(0);
    expect(result.lines.slice(3)).toEqual([
      {
        tone: "critical",
        title: "Cancelled: 68 stars reversed",
        detail: "A cancelled order keeps no points.",
        points: -68,
        at: "2026-03-03T09:00:00.000Z",
      },
    ]);
  });

  // The member spent 50 of the 68 before the cancellation, and the balance floor kept them.
  it("reports what a cancellation could not take back", () => {
    const result = explainOrder(
      input(
        {
          cancelledAt,
          clawedBackPoints: 68,
          pendingRemaining: 0,
          availableAt: null,
          rule: { ...rule, pendingDays: 0 },
        },
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
              kind: "CANCEL_REVERSAL",
              points: -18,
              pendingPoints: 0,
              shortfall: 50,
              occurredAt: cancelledAt,
              sourceId: "1",
            },
          ],
        },
      ),
    );
    expect(result.lines.slice(3)).toEqual([
      {
        tone: "critical",
        title: "Cancelled: 18 stars reversed",
        detail: "A cancelled order keeps no points.",
        points: -18,
        at: "2026-03-03T09:00:00.000Z",
      },
      {
        tone: "warning",
        title: "50 stars could not be taken back",
        detail:
          "The member had already spent them, and balances do not go below zero (Program settings → Allow negative balances).",
      },
    ]);
  });

  // A full refund took the points first; the cancellation that follows has nothing left to take.
  it("says only that the order was cancelled when nothing was left to reverse", () => {
    const result = explainOrder(
      input(
        { cancelledAt, clawedBackPoints: 68, pendingRemaining: 0 },
        {
          entries: [
            {
              kind: "EARN",
              points: 0,
              pendingPoints: 68,
              shortfall: 0,
              occurredAt: paidAt,
              sourceId: "1",
            },
            {
              kind: "REFUND_CLAWBACK",
              points: 0,
              pendingPoints: -68,
              shortfall: 0,
              occurredAt: new Date("2026-03-02T16:00:05Z"),
              sourceId: "915773210941",
            },
          ],
          refunds: [
            {
              refundId: "915773210941",
              subtotalMinor: 4599,
              createdAtShopify: new Date("2026-03-02T16:00:00Z"),
              appliedAt: new Date("2026-03-02T16:00:05Z"),
            },
          ],
        },
      ),
    );
    const cancelled = result.lines.at(-1)!;
    expect(cancelled).toMatchObject({
      tone: "critical",
      title: "Cancelled",
      detail: "A cancelled order keeps no points.",
      at: "2026-03-03T09:00:00.000Z",
    });
    expect(cancelled.points).toBe(0);
    expect(result.lines.at(-2)!.title).toBe("Refund took back 68 stars");
  });
});

describe("explaining an order that earned nothing yet", () => {
  const awaiting = {
    status: "AWAITING_PAYMENT",
    paidAt: null,
    earnedPoints: 0,
    pendingRemaining: 0,
    availableAt: null,
    rule: null,
  };

  // A refund or cancellation webhook overtook orders/paid and created the row.
  it("waits for the payment", () => {
    expect(explainOrder(input(awaiting, { entries: [] }))).toEqual({
      headline: "No points yet: not paid",
      tone: "info",
      net: 0,
      lines: [
        {
          tone: "info",
          title: "Payment not received yet",
          detail:
            "We have heard about #1001 (a refund or cancellation) but not its payment. Points are awarded when Shopify reports the order paid; anything that arrived early is applied right after.",
        },
      ],
    });
    const unnamed = explainOrder(input({ ...awaiting, orderId: "5512345678901", name: null }));
    expect(unnamed.lines[0]!.detail).toMatch(/^We have heard about Order 5512345678901 \(/);
  });

  // Either fact is enough: the status still says awaiting payment, or no payment time is known.
  it("treats an order as unpaid while its status says so", () => {
    const result = explainOrder(input({ ...awaiting, paidAt }));
    expect(result.headline).toBe("No points yet: not paid");
    expect(explainOrder(input({ paidAt: null })).headline).toBe("No points yet: not paid");
  });

  it("waits for the merchant's review of a large order", () => {
    const result = explainOrder(
      input({
        status: "HELD",
        orderId: "5512345678901",
        name: null,
        basisMinor: 83399,
        totalMinor: 84999,
        earnedPoints: 1250,
        pendingRemaining: 0,
        availableAt: null,
      }),
    );
    expect(result).toEqual({
      headline: "Held for review",
      tone: "warning",
      net: 0,
      lines: [
        {
          tone: "warning",
          title: "Waiting for review: 1,250 stars",
          detail:
            "Order 5512345678901 would earn 1,250 stars on $833.99, more than one order may earn without review (Program settings). Nothing is credited until you approve it; refunds and a cancellation that arrive meanwhile are applied right after.",
          at: "2026-03-01T10:00:00.000Z",
        },
      ],
    });
  });

  it("gives the reason an order was skipped and its total", () => {
    const result = explainOrder(
      input({
        status: "SKIPPED",
        skipReason: "GUEST_CHECKOUT",
        customerId: null,
        earnedPoints: 0,
        pendingRemaining: 0,
        availableAt: null,
        rule: null,
      }),
    );
    expect(result).toEqual({
      headline: "No points: guest checkout",
      tone: "warning",
      net: 0,
      lines: [
        {
          tone: "warning",
          title: "No points: guest checkout",
          detail:
            "The order was placed without a customer account, so there was no member to give points to. If the shopper creates an account, you can add the points by hand on their member page.",
          at: "2026-03-01T10:00:00.000Z",
        },
        { tone: "info", title: "Order total", detail: "$50.99, paid 2026-03-01." },
      ],
    });
  });

  it.each([
    ["TEST_ORDER", "No points: test order"],
    ["PROGRAM_OFF", "No points: the program was off"],
    ["REJECTED", "No points: not approved"],
  ])("names the skip reason %s", (skipReason, headline) => {
    const result = explainOrder(input({ status: "SKIPPED", skipReason, earnedPoints: 0 }));
    expect(result.headline).toBe(headline);
    expect(result.lines[0]!.title).toBe(headline);
  });

  it("says no points without a reason it can name", () => {
    const result = explainOrder(
      input({ status: "SKIPPED", skipReason: null, earnedPoints: 0, totalMinor: null }),
    );
    expect(result).toEqual({
      headline: "No points",
      tone: "warning",
      net: 0,
      lines: [
        {
          tone: "warning",
          title: "No points",
          detail: "The order was skipped (no reason recorded).",
          at: "2026-03-01T10:00:00.000Z",
        },
      ],
    });
  });

  it("names the reward codes used on the order", () => {
    const result = explainOrder(
      input({}, { rewardCodes: [{ code: "LOYAL-7K2Q-9XMB", rewardName: "$5 off" }] }),
    );
    expect(result.lines.at(-1)).toEqual({
      tone: "info",
      title: "Reward used",
      detail: "Code LOYAL-7K2Q-9XMB ($5 off) was used on this order.",
    });
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

  it("names every state an order can be in", () => {
    const base = {
      status: "EARNED",
      skipReason: null,
      earnedPoints: 1250,
      clawedBackPoints: 0,
      paidAt,
    };
    expect(orderOutcome({ ...base, status: "AWAITING_PAYMENT" })).toBe("Not paid yet");
    expect(orderOutcome({ ...base, status: "HELD" })).toBe("Held for review: 1250");
    expect(orderOutcome({ ...base, earnedPoints: 0 })).toBe("No points: nothing to earn");
    const skipped = (skipReason: string | null) =>
      orderOutcome({ ...base, status: "SKIPPED", skipReason, earnedPoints: 0 });
    expect(skipped("GUEST_CHECKOUT")).toBe("No points: guest checkout");
    expect(skipped("PROGRAM_OFF")).toBe("No points: program off");
    expect(skipped("REJECTED")).toBe("No points: not approved");
    expect(skipped("SOMETHING_NEW")).toBe("No points");
    expect(skipped(null)).toBe("No points");
  });
});
