import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor } from "./members.server";
import type { Outcome } from "./orders.server";
import type { CustomerRef } from "./payloads";
import type { Db } from "./program.server";
import { shopConfig } from "./shop-config.server";

/** customers/create: the shopper joins; a configured signup bonus is credited once. */
export async function onCustomerCreated(
  db: Db,
  shop: string,
  customer: CustomerRef,
  occurredAt: Date,
  now: Date,
): Promise<Outcome> {
  const rules = await shopConfig(shop, db);
  const { program } = rules;
  let member = await memberFor(db, shop, customer, occurredAt);
  if (!program.enabled || program.signupBonus <= 0) return "skipped";

  const key = `customer:${customer.customerId}:signup`;
  const already = await db.ledgerEntry.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
  });
  if (already) return "duplicate";

  member = await postEntry(
    db,
    program,
    member,
    {
      kind: "SIGNUP_BONUS",
      points: program.signupBonus,
      source: "CUSTOMER",
      sourceId: customer.customerId,
      idempotencyKey: key,
      rule: { signupBonus: program.signupBonus },
      text: { key: "signup" },
      occurredAt,
    },
    now,
  );
  await evaluateTier(db, rules, member, now, "signup bonus");
  return "applied";
}
