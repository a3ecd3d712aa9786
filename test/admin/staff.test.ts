import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { staffIdentity } from "../../app/admin/staff.server";
import { formatStaff } from "../../app/components/format";

function session(user?: { first_name?: string; last_name?: string; email?: string }) {
  return new Session({
    id: "test-shop.myshopify.com_84000001",
    shop: "test-shop.myshopify.com",
    state: "",
    isOnline: Boolean(user),
    ...(user
      ? {
          onlineAccessInfo: {
            expires_in: 86_400,
            associated_user_scope: "",
            associated_user: {
              id: 84000001,
              first_name: user.first_name ?? "",
              last_name: user.last_name ?? "",
              email: user.email ?? "",
              email_verified: true,
              account_owner: false,
              locale: "en",
              collaborator: false,
            },
          },
        }
      : {}),
  });
}

describe("who did it", () => {
  it("records the staff member's name from their online session", () => {
    const auth = { session: session({ first_name: "Grace", last_name: "Hopper" }) };
    expect(staffIdentity(auth)).toBe("Grace Hopper (staff:84000001)");
    expect(staffIdentity({ session: session({ first_name: " Grace ", last_name: "" }) })).toBe(
      "Grace (staff:84000001)",
    );
  });

  it("falls back to the email, then the user id, then just staff", () => {
    expect(staffIdentity({ session: session({ email: "grace@shop.example" }) })).toBe(
      "grace@shop.example (staff:84000001)",
    );
    expect(staffIdentity({ session: session(), sessionToken: { sub: "84000001" } })).toBe(
      "staff:84000001",
    );
    expect(staffIdentity({ session: session(), sessionToken: null })).toBe("staff");
  });

  it("shows records made before names were known in words", () => {
    expect(formatStaff("Grace Hopper (staff:84000001)")).toBe("Grace Hopper");
    expect(formatStaff("Grace Hopper")).toBe("Grace Hopper");
    expect(formatStaff("staff:grace@shop.example")).toBe("grace@shop.example");
    expect(formatStaff("staff:84000001")).toBe("Staff member 84000001");
    expect(formatStaff("staff")).toBe("A staff member");
    expect(formatStaff(null)).toBe("Automatic");
    expect(formatStaff(undefined, "—")).toBe("—");
  });
});
