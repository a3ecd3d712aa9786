import { describe, expect, it } from "vitest";
import { canMove, decide, statesLeadingTo, TRANSITIONS } from "./redemption-state";

const WINDOW = 300_000;

describe("redemption states", () => {
  it("settled states never move again, except to USED when an order used the code after all", () => {
    expect(TRANSITIONS.FAILED).toEqual(["USED"]);
    expect(TRANSITIONS.USED).toEqual([]);
    expect(TRANSITIONS.CANCELLED).toEqual(["USED"]);
    expect(TRANSITIONS.EXPIRED).toEqual(["USED"]);
    expect(canMove("FAILED", "ISSUED")).toBe(false);
    expect(canMove("ISSUED", "FAILED")).toBe(false);
    expect(canMove("PENDING", "CANCELLED")).toBe(false);
  });

  it("lists where each move may start", () => {
    expect(statesLeadingTo("ISSUED")).toEqual(["PENDING"]);
    expect(statesLeadingTo("USED")).toEqual([
      "PENDING",
      "ISSUED",
      "EXPIRED",
      "FAILED",
      "CANCELLED",
    ]);
    expect(statesLeadingTo("FAILED")).toEqual(["PENDING"]);
    expect(statesLeadingTo("CANCELLED")).toEqual(["ISSUED"]);
  });
});

describe("deciding a pending redemption", () => {
  it("issues when the code was created or is found", () => {
    expect(
      decide({ create: { kind: "created", discountId: "d1" }, ageMs: 0, settleWindowMs: WINDOW }),
    ).toEqual({
      to: "ISSUED",
      discountId: "d1",
    });
    expect(
      decide({
        create: { kind: "unknown", reason: "timeout" },
        lookup: { kind: "found", discountId: "d2" },
        ageMs: 0,
        settleWindowMs: WINDOW,
      }),
    ).toEqual({ to: "ISSUED", discountId: "d2" });
  });

  it("fails (points back) when Shopify certainly refused", () => {
    expect(
      decide({
        create: { kind: "refused", reason: "bad input" },
        ageMs: 0,
        settleWindowMs: WINDOW,
      }),
    ).toEqual({
      to: "FAILED",
      reason: "bad input",
    });
  });

  it("waits while the code may still appear, and fails only after the settle window", () => {
    const unknown = { kind: "unknown", reason: "lost response" } as const;
    expect(
      decide({ create: unknown, lookup: { kind: "absent" }, ageMs: 9_000, settleWindowMs: WINDOW })
        .to,
    ).toBe("PENDING");
    expect(
      decide({
        create: unknown,
        lookup: { kind: "unknown", reason: "503" },
        ageMs: WINDOW * 10,
        settleWindowMs: WINDOW,
      }),
    ).toEqual({
      to: "PENDING",
      reason: "503",
    });
    expect(decide({ lookup: { kind: "absent" }, ageMs: WINDOW, settleWindowMs: WINDOW })).toEqual({
      to: "FAILED",
      reason: "the discount code was never created",
    });
    expect(
      decide({ lookup: { kind: "absent" }, ageMs: WINDOW - 1, settleWindowMs: WINDOW }).to,
    ).toBe("PENDING");
  });
  it("says why it is still waiting, whatever Shopify has answered so far", () => {
    // The create call's answer was lost and nobody has looked the code up yet.
    expect(
      decide({ create: { kind: "unknown", reason: "timeout" }, ageMs: 0, settleWindowMs: WINDOW }),
    ).toEqual({ to: "PENDING", reason: "timeout" });
    // No create outcome recorded (the process stopped), and the lookup finds nothing yet.
    expect(decide({ lookup: { kind: "absent" }, ageMs: 0, settleWindowMs: WINDOW })).toEqual({
      to: "PENDING",
      reason: "the code's creation has not been confirmed yet",
    });
    expect(decide({ ageMs: WINDOW * 10, settleWindowMs: WINDOW })).toEqual({
      to: "PENDING",
      reason: "the code's creation has not been confirmed yet",
    });
  });
});
