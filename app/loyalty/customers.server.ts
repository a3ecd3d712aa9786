import { contributionsFor, totalPoints } from "../domain/earning-rules";
import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor } from "./members.server";
import type { Outcome } from "./orders.server";
import type { CustomerRef } from "./payloads";
import type { Db } from "./program.server";
import { earningRules } from "./program.server";
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
  const contributions = contributionsFor(earningRules(program, null), { type: "SIGNUP" });
  const points = totalPoints(contributions);
  if (!program.enabled || points <= 0) return "skipped";

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
      points,
      source: "CUSTOMER",
      sourceId: customer.customerId,
      idempotencyKey: key,
      rule: { signupBonus: program.signupBonus, contributions },
      text: { key: "signup" },
      occurredAt,
    },
    now,
  );
  await evaluateTier(db, rules, member, now, "signup bonus");
  return "applied";
}
