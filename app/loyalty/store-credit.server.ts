import type { PrismaClient, Redemption } from "@prisma/client";
import type { CreditTransaction } from "../domain/rewards";
import {
  NEVER,
  STORE_CREDIT_PREFIX,
  customerGid,
  isStoreCreditReference,
  ownTransaction,
  storeCreditInput,
} from "../domain/rewards";
import type { CreateOutcome, LookupOutcome } from "../domain/redemption-state";
import { toMinorUnits } from "../domain/money";
import { rewardTerms as parseRewardTerms } from "../domain/snapshots";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { adminCall, adminQuery, failedCall } from "../shopify/admin-api.server";
import {
  CREDIT_STORE_CREDIT,
  DEBIT_STORE_CREDIT,
  STORE_CREDIT_TRANSACTIONS,
} from "../shopify/operations";
import type {
  LoyaltyCreditStoreCreditMutation,
  LoyaltyCreditStoreCreditMutationVariables,
  LoyaltyDebitStoreCreditMutation,
  LoyaltyDebitStoreCreditMutationVariables,
  LoyaltyStoreCreditTransactionsQuery,
  LoyaltyStoreCreditTransactionsQueryVariables,
} from "../types/admin.generated";
import type { CurrencyCode } from "../types/admin.types";

/**
 * Store credit rewards: the points pay for credit on the shopper's Shopify account
 * (storeCreditAccountCredit), spent at checkout with no code. Redemption keeps its guarantees
 * (app/loyalty/redemptions.server.ts): PENDING until Shopify confirms the credit, ISSUED once it
 * does, FAILED with the points back when it certainly did not. Neither store credit mutation takes
 * an idempotency key in 2026-10, so an answer that was lost is settled by finding the transaction
 * our call made in the account's list (ownTransaction), never by crediting again.
 */

/** A Prisma filter on Redemption.code: the store credit ones. */
export const STORE_CREDIT_CODES = { startsWith: `${STORE_CREDIT_PREFIX}-` };

export function isStoreCredit(redemption: Pick<Redemption, "code">): boolean {
  return isStoreCreditReference(redemption.code);
}

type Payload = NonNullable<
  | LoyaltyCreditStoreCreditMutation["storeCreditAccountCredit"]
  | LoyaltyDebitStoreCreditMutation["storeCreditAccountDebit"]
>;

function settled(
  result: Payload | null | undefined,
  outcome: "not-applied" | "unknown" | "applied",
  what: string,
): CreateOutcome {
  const transaction = result?.storeCreditAccountTransaction;
  if (transaction && !result.userErrors.length)
    return { kind: "created", discountId: transaction.id };
  const detail = (result?.userErrors ?? [])
    .map((e) => `${(e.field ?? []).join(".")}: ${e.message}`)
    .join("; ");
  const reason = `Shopify refused the ${what}: ${detail || "no transaction returned"}`;
  // An earlier attempt whose answer was lost may have carried it out.
  return outcome === "unknown" ? { kind: "unknown", reason } : { kind: "refused", reason };
}

type CreditRedemption = Pick<Redemption, "customerId" | "endsAt" | "rewardSnapshot">;

/** Credits the reward's amount to the shopper's account (never throws for Shopify's sake). */
export async function creditStoreCredit(
  admin: AdminGraphqlClient,
  redemption: CreditRedemption,
  currency: string,
  retry?: RetryPolicy,
): Promise<CreateOutcome> {
  const terms = parseRewardTerms(redemption.rewardSnapshot);
  const input = storeCreditInput({ terms, currency, endsAt: redemption.endsAt });
  try {
    const call = await adminCall<LoyaltyCreditStoreCreditMutation>(
      admin,
      CREDIT_STORE_CREDIT,
      {
        id: customerGid(redemption.customerId),
        creditInput: {
          ...input,
          creditAmount: { ...input.creditAmount, currencyCode: currency as CurrencyCode },
        },
      } satisfies LoyaltyCreditStoreCreditMutationVariables,
      retry,
      { repeatable: false },
    );
    return settled(call.data.storeCreditAccountCredit, call.outcome, "store credit");
  } catch (error) {
    return failedCall(error);
  }
}

/** Takes `amount` back from the shopper's account (never throws for Shopify's sake). */
export async function debitStoreCredit(
  admin: AdminGraphqlClient,
  customerId: string,
  amount: string,
  currency: string,
  retry?: RetryPolicy,
): Promise<CreateOutcome & { insufficient?: boolean }> {
  try {
    const call = await adminCall<LoyaltyDebitStoreCreditMutation>(
      admin,
      DEBIT_STORE_CREDIT,
      {
        id: customerGid(customerId),
        debitInput: { debitAmount: { amount, currencyCode: currency as CurrencyCode } },
      } satisfies LoyaltyDebitStoreCreditMutationVariables,
      retry,
      { repeatable: false },
    );
    const result = call.data.storeCreditAccountDebit;
    const outcome = settled(result, call.outcome, "debit");
    const insufficient = !!result?.userErrors.some((e) => e.code === "INSUFFICIENT_FUNDS");
    return { ...outcome, insufficient };
  } catch (error) {
    return failedCall(error);
  }
}

/** The shopper's store credit transactions in the shop's currency, newest first. */
export async function creditTransactions(
  admin: AdminGraphqlClient,
  customerId: string,
  currency: string,
  retry?: RetryPolicy,
): Promise<CreditTransaction[]> {
  const { customer } = await adminQuery<LoyaltyStoreCreditTransactionsQuery>(
    admin,
    STORE_CREDIT_TRANSACTIONS,
    {
      customerId: customerGid(customerId),
      accountQuery: `currency_code:${currency}`,
    } satisfies LoyaltyStoreCreditTransactionsQueryVariables,
    retry,
  );
  // No customer: deleted in Shopify, so no account of theirs holds anything of ours.
  const accounts = customer?.storeCreditAccounts.nodes ?? [];
  return accounts
    .filter((account) => account.balance.currencyCode === currency)
    .flatMap((account) =>
      account.transactions.nodes.map((t): CreditTransaction => {
        const base = {
          createdAt: String(t.createdAt),
          event: t.event,
          amount: String(t.amount.amount),
        };
        switch (t.__typename) {
          case "StoreCreditAccountCreditTransaction":
            return {
              ...base,
              id: t.id,
              kind: "credit",
              expiresAt: t.expiresAt ? String(t.expiresAt) : null,
              remaining: String(t.remainingAmount.amount),
            };
          case "StoreCreditAccountDebitTransaction":
            return { ...base, id: t.id, kind: "debit", expiresAt: null, remaining: null };
          default:
            return { ...base, id: "", kind: "other", expiresAt: null, remaining: null };
        }
      }),
    );
}

/** Transaction ids other redemptions have claimed already, among those listed. */
async function claimedElsewhere(
  prisma: PrismaClient,
  redemptionId: string,
  transactions: readonly CreditTransaction[],
): Promise<Set<string>> {
  const ids = transactions.map((t) => t.id).filter(Boolean);
  if (!ids.length) return new Set();
  const rows = await prisma.redemption.findMany({
    where: {
      id: { not: redemptionId },
      OR: [{ creditTransactionId: { in: ids } }, { debitTransactionId: { in: ids } }],
    },
    select: { creditTransactionId: true, debitTransactionId: true },
  });
  return new Set(
    rows.flatMap((r) => [r.creditTransactionId, r.debitTransactionId]).filter(Boolean) as string[],
  );
}

/**
 * Looks for the credit (or, cancelling, the debit) a call of ours made for this redemption since
 * `since`: found, absent, or unknown when Shopify did not answer.
 */
export async function findOwnTransaction(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Pick<Redemption, "id" | "customerId" | "endsAt" | "rewardSnapshot">,
  currency: string,
  wanted: { kind: "credit" | "debit"; since: Date },
  retry?: RetryPolicy,
): Promise<LookupOutcome> {
  let transactions: CreditTransaction[];
  try {
    transactions = await creditTransactions(admin, redemption.customerId, currency, retry);
  } catch (error) {
    return { kind: "unknown", reason: error instanceof Error ? error.message : String(error) };
  }
  const terms = parseRewardTerms(redemption.rewardSnapshot);
  const found = ownTransaction(transactions, {
    kind: wanted.kind,
    amountMinor: toMinorUnits(terms.amount ?? "0", currency),
    currency,
    since: wanted.since,
    expiresAt: redemption.endsAt.getTime() < NEVER.getTime() ? redemption.endsAt : null,
    claimed: await claimedElsewhere(prisma, redemption.id, transactions),
  });
  return found ? { kind: "found", discountId: found.id } : { kind: "absent" };
}

/** What is left of the redemption's credit on the shopper's account, or null if unknown. */
export async function creditLeft(
  admin: AdminGraphqlClient,
  redemption: Pick<Redemption, "customerId" | "creditTransactionId">,
  currency: string,
  retry?: RetryPolicy,
): Promise<{ remaining: string | null } | { unknown: string }> {
  try {
    const transactions = await creditTransactions(admin, redemption.customerId, currency, retry);
    const credit = transactions.find((t) => t.id === redemption.creditTransactionId);
    return { remaining: credit?.remaining ?? null };
  } catch (error) {
    return { unknown: error instanceof Error ? error.message : String(error) };
  }
}
