// @vitest-environment happy-dom
// The components in a DOM, as Shopify's host mirrors them: a click on Redeem, a birthday form.
import { h, render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient } from "../../extensions/customer-account/src/api";
import type { Member } from "../../extensions/customer-account/src/api";
import { LoyaltyPage } from "../../extensions/customer-account/src/page";
import { OrderPointsBlock } from "../../extensions/customer-account/src/order-block";
import { TOKEN, fakeFetch, fakeHost, fakeOrderHost, sampleMember } from "./customer-account-fakes";

const APP = "https://loyalty.example.com";

// Preact listens for "submit" on an element that has `onsubmit`, as browsers' elements and
// Shopify's s-form do; happy-dom's HTMLElement lacks it (it would listen for "Submit").
customElements.define(
  "s-form",
  class extends HTMLElement {
    override onsubmit = null;
  },
);

let root: HTMLElement | null = null;

afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

function mount(answers: Parameters<typeof fakeFetch>, member: Member | null = sampleMember()) {
  const { fetch, calls } = fakeFetch(
    ...(member ? [[200, member] as [number, unknown]] : []),
    ...answers,
  );
  let n = 0;
  const client = createClient({
    appUrl: APP,
    token: async () => TOKEN,
    fallbackMessage: "Something went wrong. Please try again.",
    fetch,
    sleep: async () => {},
    newRequestId: () => `intent-${++n}`,
  });
  root = document.createElement("div");
  document.body.append(root);
  const host = fakeHost();
  render(h(LoyaltyPage, { host, client, storefront: async () => "https://shop.example" }), root);
  return { calls, root };
}

/** The rendered text, one space between elements. */
const words = (el: Element) =>
  el.innerHTML
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

function button(el: Element, label: string) {
  const found = [...el.querySelectorAll<HTMLElement>("s-button" as string)].find(
    (b) => b.getAttribute("accessibilityLabel") === label || b.textContent === label,
  );
  if (!found) throw new Error(`No button "${label}" in: ${words(el)}`);
  return found;
}

const click = (el: Element) => el.dispatchEvent(new Event("click", { bubbles: true }));

describe("redeeming on the page", () => {
  it("redeems a reward on a click, then shows its code and the new balance", async () => {
    const { calls, root } = mount([
      [
        200,
        {
          status: "ISSUED",
          id: "red_1",
          code: "LOYAL-5OFF-AB12",
          applyUrl: "https://shop.example/discount/LOYAL-5OFF-AB12?redirect=/cart",
          expiresAt: "2026-08-01T00:00:00.000Z",
          points: 750,
        },
      ],
    ]);
    await vi.waitFor(() => expect(words(root)).toContain("You have 1,250 stars"));

    click(button(root, "Redeem $5 off for 500 stars"));

    await vi.waitFor(() => expect(words(root)).toContain("Your code: LOYAL-5OFF-AB12"));
    expect(words(root)).toContain("Use by August 1, 2026");
    expect(words(root)).toContain("You have 750 stars");
    expect(calls[1]).toMatchObject({
      method: "POST",
      url: `${APP}/customer-account/redeem`,
      body: { rewardId: "r-5off", requestId: "intent-1" },
      headers: expect.objectContaining({ Authorization: `Bearer ${TOKEN}` }),
    });
    // 750 stars left: the $10 store credit (1,000) now needs more.
    expect(words(root)).toContain("$10 store credit 1,000 stars 250 stars more needed");
  });

  it("shows store credit's message instead of a code", async () => {
    const { root } = mount([
      [
        200,
        {
          status: "ISSUED",
          id: "red_2",
          code: "STORE-CREDIT-red_2",
          expiresAt: null,
          points: 250,
          message: "$10.00 of store credit is now on your account.",
        },
      ],
    ]);
    await vi.waitFor(() => button(root, "Redeem $10 store credit for 1,000 stars"));
    click(button(root, "Redeem $10 store credit for 1,000 stars"));
    await vi.waitFor(() =>
      expect(words(root)).toContain("$10.00 of store credit is now on your account."),
    );
    expect(words(root)).not.toContain("STORE-CREDIT");
  });

  it("shows the backend's refusal, and a fresh intent on the next press", async () => {
    const refusal = { error: { code: "INSUFFICIENT_POINTS", message: "You need 250 more stars." } };
    const { calls, root } = mount([
      [409, refusal],
      [409, refusal],
    ]);
    await vi.waitFor(() => button(root, "Redeem $5 off for 500 stars"));
    click(button(root, "Redeem $5 off for 500 stars"));
    await vi.waitFor(() => expect(words(root)).toContain("You need 250 more stars."));
    click(button(root, "Redeem $5 off for 500 stars"));
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls.slice(1).map((c) => (c.body as { requestId: string }).requestId)).toEqual([
      "intent-1",
      "intent-2",
    ]);
  });

  it("keeps the request id when the shopper retries after a lost answer", async () => {
    const lost = new TypeError("Failed to fetch");
    const { calls, root } = mount([
      lost,
      lost,
      lost,
      [200, { status: "ISSUED", id: "red_1", code: "LOYAL-1", expiresAt: null, points: 750 }],
    ]);
    await vi.waitFor(() => button(root, "Redeem $5 off for 500 stars"));
    click(button(root, "Redeem $5 off for 500 stars"));
    await vi.waitFor(() =>
      expect(words(root)).toContain("Something went wrong. Please try again."),
    );
    click(button(root, "Redeem $5 off for 500 stars"));
    await vi.waitFor(() => expect(words(root)).toContain("Your code: LOYAL-1"));
    expect(new Set(calls.slice(1).map((c) => (c.body as { requestId: string }).requestId))).toEqual(
      new Set(["intent-1"]),
    );
  });
});

describe("the birthday form", () => {
  it("saves the month and day and then shows the birthday", async () => {
    const { calls, root } = mount([
      [
        200,
        { ok: true, birthday: { date: { month: 5, day: 14 }, next: "2027-05-14", points: 100 } },
      ],
    ]);
    await vi.waitFor(() => root.querySelector("s-form") ?? Promise.reject(new Error("no form")));
    const month = root.querySelector("s-select")! as HTMLElement & { value?: string };
    const day = root.querySelector("s-number-field")! as HTMLElement & { value?: string };
    month.value = "5";
    month.dispatchEvent(new Event("change"));
    day.value = "14";
    day.dispatchEvent(new Event("change"));
    await new Promise((done) => setTimeout(done, 0));
    root.querySelector("s-form")!.dispatchEvent(new Event("submit"));

    await vi.waitFor(() => expect(words(root)).toContain("Your birthday: May 14"));
    expect(calls[1]).toMatchObject({
      method: "POST",
      url: `${APP}/customer-account/birthday`,
      body: { month: 5, day: 14 },
    });
    expect(root.querySelector("s-form")).toBeNull();
  });

  it("refuses a day the month does not have, without asking the backend", async () => {
    const { calls, root } = mount([]);
    await vi.waitFor(() => root.querySelector("s-form") ?? Promise.reject(new Error("no form")));
    const month = root.querySelector("s-select")! as HTMLElement & { value?: string };
    const day = root.querySelector("s-number-field")! as HTMLElement & { value?: string };
    month.value = "4";
    month.dispatchEvent(new Event("change"));
    day.value = "31";
    day.dispatchEvent(new Event("change"));
    await new Promise((done) => setTimeout(done, 0));
    root.querySelector("s-form")!.dispatchEvent(new Event("submit"));
    await vi.waitFor(() =>
      expect(words(root)).toContain("Choose a month and a day that exists in it."),
    );
    expect(calls).toHaveLength(1);
  });
});

describe("loading", () => {
  it("says rewards are unavailable when the build had no app URL", async () => {
    root = document.createElement("div");
    render(h(LoyaltyPage, { host: fakeHost(), client: null, storefront: async () => null }), root);
    await vi.waitFor(() => expect(words(root!)).toContain("Rewards are not available right now."));
  });

  it("shows the backend's error and loads again on Try again", async () => {
    const { root } = mount(
      [
        [401, { error: { code: "NOT_LOGGED_IN", message: "Please sign in again." } }],
        [200, sampleMember()],
      ],
      null,
    );
    await vi.waitFor(() => expect(words(root)).toContain("Please sign in again."));
    click(button(root, "Try again"));
    await vi.waitFor(() => expect(words(root)).toContain("You have 1,250 stars"));
  });
});

describe("the order status block", () => {
  function mountBlock(...answers: Parameters<typeof fakeFetch>) {
    const { fetch, calls } = fakeFetch(...answers);
    const client = createClient({
      appUrl: APP,
      token: async () => TOKEN,
      fallbackMessage: "x",
      fetch,
    });
    root = document.createElement("div");
    render(h(OrderPointsBlock, { host: fakeOrderHost("gid://shopify/Order/5531"), client }), root);
    return { calls, root };
  }

  it("shows the points the order earned", async () => {
    const { calls, root } = mountBlock([200, { points: 120, pendingPoints: 0, releaseDate: null }]);
    await vi.waitFor(() => expect(words(root)).toBe("You earned 120 points on this order"));
    expect(calls[0]!.url).toBe(`${APP}/customer-account/orders/5531`);
  });

  it("shows nothing for an order without points", async () => {
    const { calls, root } = mountBlock([404, { error: { code: "NOT_FOUND", message: "None" } }]);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await new Promise((done) => setTimeout(done, 10));
    expect(root.innerHTML).toBe("");
  });
});
