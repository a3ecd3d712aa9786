import { describe, expect, it } from "vitest";
import {
  addressKey,
  isReferralLinkCode,
  referralLinkCode,
  referralReversedBy,
  referralVerdict,
  welcomeBlocker,
  welcomeCodesIn,
} from "./referrals";

const referrer = { customerId: "1", email: "Rita@Example.com" };

describe("referral codes", () => {
  it("makes link codes the route accepts, from the whole alphabet", () => {
    const codes = Array.from({ length: 200 }, () => referralLinkCode());
    expect(codes.every(isReferralLinkCode)).toBe(true);
    expect(new Set(codes.join("")).size).toBe(31);
    expect(isReferralLinkCode("abcdefghi1")).toBe(false); // 1 is not in the alphabet
  });

  it("finds the welcome codes among an order's codes, whatever their case", () => {
    expect(welcomeCodesIn(["SPRING", "FRIEND-10", " friend-abcd-efgh-jkmn"])).toEqual([
      "FRIEND-10",
      "FRIEND-ABCD-EFGH-JKMN",
    ]);
    expect(welcomeCodesIn(["FRIENDS10"])).toEqual([]);
  });
});

describe("addressKey", () => {
  it("sees the same place through case, spacing and punctuation", () => {
    const a = addressKey({ address1: "1 Elm Street", zip: "94107", country_code: "US" });
    expect(addressKey({ address1: " 1 elm street. ", zip: "94 107", country_code: "us" })).toBe(a);
    expect(addressKey({ address1: "2 Elm Street", zip: "94107", country_code: "US" })).not.toBe(a);
    expect(addressKey({ address1: "", zip: "94107" })).toBeNull();
    expect(addressKey(null)).toBeNull();
  });
});

describe("welcomeBlocker", () => {
  const friend = { customerId: "2", email: "fran@example.com" };
  const input = { referrer, friend, friendHasOrdered: false, offersToday: 0 };
  it("lets a new friend in and keeps the referrer, old customers and floods out", () => {
    expect(welcomeBlocker(input)).toBeNull();
    expect(
      welcomeBlocker({ ...input, friend: { customerId: "2", email: "RITA@example.com" } }),
    ).toBe("SELF_REFERRAL");
    expect(welcomeBlocker({ ...input, friend: { customerId: "2", email: null } })).toBeNull();
    expect(welcomeBlocker({ ...input, friend: { ...friend, customerId: "1" } })).toBe(
      "SELF_REFERRAL",
    );
    expect(welcomeBlocker({ ...input, friendHasOrdered: true })).toBe("NOT_NEW_CUSTOMER");
    expect(welcomeBlocker({ ...input, offersToday: 19 })).toBeNull();
    expect(welcomeBlocker({ ...input, offersToday: 20 })).toBe("TOO_MANY");
  });
});

describe("referralVerdict", () => {
  const order = {
    customerId: "2",
    email: "fran@example.com",
    shipsToReferrer: false,
    spendMinor: 5000,
    reversed: false,
  };
  const input = { referrer, order, friendSeenBefore: false, creditedThisMonth: 0, perMonth: 10 };
  it("credits a new friend's order and names the first reason not to otherwise", () => {
    expect(referralVerdict(input)).toBeNull();
    expect(referralVerdict({ ...input, order: { ...order, customerId: "1" } })).toBe(
      "SELF_REFERRAL",
    );
    expect(referralVerdict({ ...input, order: { ...order, email: " RITA@example.com" } })).toBe(
      "SELF_REFERRAL",
    );
    expect(referralVerdict({ ...input, order: { ...order, shipsToReferrer: true } })).toBe(
      "SELF_REFERRAL",
    );
    expect(referralVerdict({ ...input, friendSeenBefore: true })).toBe("NOT_NEW_CUSTOMER");
    expect(referralVerdict({ ...input, creditedThisMonth: 10 })).toBe("CAPPED");
    expect(referralVerdict({ ...input, order: { ...order, spendMinor: 0 } })).toBe("NO_SPEND");
    expect(referralVerdict({ ...input, order: { ...order, spendMinor: 0 } })).toBe("NO_SPEND");
    expect(referralVerdict({ ...input, order: { ...order, reversed: true } })).toBe(
      "ORDER_REVERSED",
    );
    // Self-referral is named before anything else, so the admin list shows the abuse.
    expect(
      referralVerdict({ ...input, order: { ...order, customerId: "1" }, creditedThisMonth: 99 }),
    ).toBe("SELF_REFERRAL");
  });
});

describe("referralReversedBy", () => {
  const availableAt = new Date("2026-12-15T00:00:00Z");
  const before = new Date("2026-12-10T00:00:00Z");
  it("takes the points back only while pending and only when nothing of the order is left", () => {
    const base = {
      at: before,
      availableAt,
      cancelled: false,
      basisMinor: 5000,
      refundedMinor: 5000,
    };
    expect(referralReversedBy(base)).toBe(true);
    expect(referralReversedBy({ ...base, refundedMinor: 4999 })).toBe(false);
    expect(referralReversedBy({ ...base, refundedMinor: 0, cancelled: true })).toBe(true);
    expect(referralReversedBy({ ...base, at: availableAt })).toBe(false);
    // An order with no spend is only reversed by a cancellation, not by a shipping refund.
    expect(referralReversedBy({ ...base, basisMinor: 0, refundedMinor: 0 })).toBe(false);
  });
});
