import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { MemberPage } from "../../extensions/customer-account/src/page";
import { OrderPointsView } from "../../extensions/customer-account/src/order-block";
import type { Client, Member } from "../../extensions/customer-account/src/api";
import { fakeHost, sampleMember } from "./customer-account-fakes";

/** The page as markup, with tags kept and text entities decoded for plain assertions. */
function page(
  member: Member,
  language = "en",
  storefrontUrl: string | null = "https://shop.example",
  client: Client | null = null,
) {
  return renderToString(
    h(MemberPage, { host: fakeHost(language), client, member, storefrontUrl }),
  ).replace(/&amp;/g, "&");
}

/** The rendered text only, one space between pieces. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("the loyalty page", () => {
  const html = page(sampleMember());
  const words = text(html);

  it("shows the balance, pending points and when they arrive, in the program's own words", () => {
    expect(words).toContain("You have 1,250 stars");
    expect(words).toContain("120 stars pending");
    expect(words).toContain("120 stars available on June 1, 2026");
    expect(words).toContain("Your points expire on May 10, 2027");
  });

  it("shows the tier, its multiplier and perks, and the progress to the next one", () => {
    expect(words).toContain("Silver member");
    expect(words).toContain("1.5× points on every order");
    expect(words).toContain("Free shipping on every order");
    expect(words).toContain("750 stars to reach Gold");
    expect(html).toMatch(
      /<s-progress[^>]*accessibilityLabel="Progress to Gold"[^>]*max="2000"[^>]*value="1250"/,
    );
  });

  it("counts money to the next tier when tiers are spend-based", () => {
    const spend = page(
      sampleMember({
        nextTier: {
          name: "Gold",
          remaining: 39700,
          threshold: 100000,
          currency: "USD",
          remainingAmount: "397.00",
        },
      }),
    );
    expect(text(spend)).toContain("$397.00 to reach Gold");
  });

  it("offers a Redeem button naming the reward only for rewards the member can take", () => {
    const redeemable = (markup: string) =>
      [...markup.matchAll(/<s-button[^>]*accessibilityLabel="(Redeem [^"]+)"[^>]*>Redeem</g)].map(
        (m) => m[1],
      );
    // Rendering calls nothing on the client: it only has to be there.
    const online = page(sampleMember(), "en", null, {} as Client);
    expect(redeemable(online)).toEqual([
      "Redeem $5 off for 500 stars",
      "Redeem $10 store credit for 1,000 stars",
    ]);
    // Without the app's URL there is nothing to redeem with.
    expect(redeemable(html)).toEqual([]);
    expect(redeemable(page(sampleMember({ enabled: false }), "en", null, {} as Client))).toEqual(
      [],
    );
  });

  it("says what a locked or unaffordable reward needs", () => {
    expect(words).toContain("$20 off 2,000 stars 750 stars more needed");
    expect(words).toContain("VIP gift 300 stars For Gold members");
  });

  it("lists recent history with signed points and dates", () => {
    expect(words).toContain("Order #1042: +120 on May 10, 2026");
    expect(words).toContain("Redeemed $5 off: -500 on April 2, 2026");
  });

  it("gives the member's referral link under the storefront, and their referral counts", () => {
    expect(html).toContain('href="https://shop.example/apps/loyalty/refer/ANNA42"');
    expect(words).toContain(
      "Give friends $10 off on their first order and get 200 stars when they buy.",
    );
    expect(words).toContain("Friends who ordered: 2. Waiting for their order: 1.");
    expect(text(page(sampleMember(), "en", null))).not.toContain("Your referral link");
  });

  it("asks for the birthday with a month and a day when it is not set", () => {
    expect(words).toContain("Tell us your birthday and get 100 stars on the day.");
    expect(html).toMatch(/<s-select[^>]*label="Month"/);
    expect(html).toContain('<s-option value="5">May</s-option>');
    expect(html).toMatch(/<s-number-field[^>]*label="Day"/);
    expect(html).toMatch(/<s-button[^>]*type="submit"[^>]*>Save birthday</);
  });

  it("shows a birthday already given, and when its points come, without the form", () => {
    const set = page(
      sampleMember({ birthday: { date: { month: 5, day: 14 }, next: "2027-05-14", points: 100 } }),
    );
    expect(text(set)).toContain("Your birthday: May 14");
    expect(text(set)).toContain("We’ll add 100 stars on May 14, 2027.");
    expect(set).not.toContain("<s-select");
  });

  it("shows a code the member already holds, with its expiry and a link to apply it", () => {
    const held = page(
      sampleMember({
        codes: {
          "r-5off": {
            code: "LOYAL-5OFF-AB12",
            applyUrl: "https://shop.example/discount/LOYAL-5OFF-AB12?redirect=/cart",
            expiresAt: "2026-08-01T00:00:00.000Z",
            points: 1250,
          },
        },
      }),
    );
    expect(text(held)).toContain("Your code: LOYAL-5OFF-AB12 Use by August 1, 2026");
    expect(held).toContain('href="https://shop.example/discount/LOYAL-5OFF-AB12?redirect=/cart"');
  });

  it("says the program is paused", () => {
    expect(page(sampleMember({ enabled: false }))).toContain(
      'heading="The rewards program is paused"',
    );
    expect(html).not.toContain("paused");
  });

  it("speaks the shopper's language", () => {
    const fr = text(page(sampleMember({ pointsName: { one: "étoile", other: "étoiles" } }), "fr"));
    expect(fr).toContain("Vous avez 1 250 étoiles");
    expect(fr).toContain("Membre Silver");
  });

  it("has one page heading and a heading per section", () => {
    expect(html).toMatch(/^<s-page heading="Rewards">/);
    const sections = [...html.matchAll(/<s-section heading="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual([
      "Your points",
      "Your tier",
      "Rewards",
      "Recent activity",
      "Refer a friend",
      "Your birthday",
      "Ways to earn",
    ]);
  });
});

describe("the order status block", () => {
  const block = (points: number, pendingPoints: number, releaseDate: string | null = null) =>
    text(
      renderToString(
        h(OrderPointsView, { host: fakeHost(), earned: { points, pendingPoints, releaseDate } }),
      ),
    );

  it("says how many points the order earned", () => {
    expect(block(120, 0)).toBe("You earned 120 points on this order");
    expect(block(1, 0)).toBe("You earned 1 point on this order");
  });

  it("says when pending points from the order become available", () => {
    expect(block(0, 120, "2026-06-14T00:00:00.000Z")).toBe(
      "120 points from this order will be available on June 14, 2026",
    );
    expect(block(0, 80)).toBe("80 points from this order are pending");
    expect(block(40, 80)).toBe(
      "You earned 40 points on this order 80 points from this order are pending",
    );
  });

  it("shows nothing for an order that earned nothing", () => {
    expect(block(0, 0)).toBe("");
  });
});
