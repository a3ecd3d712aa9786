/**
 * Store credit accounts as Shopify keeps them: one account per owner and currency, a ledger of
 * credit, debit and expiration transactions, and a balance that is the sum of what is left of
 * the credits that have not expired. Debits spend the soonest-expiring credit first (the
 * documented rule on StoreCreditAccountCreditTransaction.expiresAt). Expiry is applied lazily:
 * whenever an account is read or used, credits past their expiresAt get their expiration
 * transaction, dated when they expired.
 *
 * Used by the storeCreditAccountCredit/Debit resolvers and by checkout (an order paid with store
 * credit debits with event ORDER_PAYMENT).
 */
import { NotSimulatedError } from "./discounts";
import { fromMinorUnits, toMinorUnits } from "./money";
import {
  gid,
  nextNumericId,
  parseGid,
  type AdminApiState,
  type StoreCreditAccountRecord,
  type StoreCreditEvent,
  type StoreCreditTransactionRecord,
} from "./state";

/**
 * userError messages. Three are Shopify's own, from the examples in the storeCreditAccountCredit
 * and storeCreditAccountDebit reference (a negative credit, a debit over the balance, a credit
 * over the account limit): each is its code's enum description without the final period. The
 * others are written the same way and have not been seen from a live shop.
 */
export const STORE_CREDIT_MESSAGES = {
  creditNotPositive: "A positive amount must be used to credit a store credit account",
  debitNotPositive: "A positive amount must be used to debit a store credit account",
  insufficientFunds:
    "The store credit account does not have sufficient funds to satisfy the request",
  // Unverified below this line.
  accountNotFound: "The store credit account could not be found",
  ownerNotFound: "Owner does not exist",
  expiresAtInPast: "The expiry date must be in the future",
  mismatchingCurrency:
    "The currency provided does not match the currency of the store credit account",
  unsupportedCurrency: "The currency provided is not currently supported",
} as const;

export interface StoreCreditUserError {
  field: string[];
  message: string;
  code: string;
}

export interface StoreCreditResult {
  account: StoreCreditAccountRecord | null;
  transaction: StoreCreditTransactionRecord | null;
  userErrors: StoreCreditUserError[];
}

export interface MoneyInput {
  amount: string;
  currencyCode: string;
}

function at(now: number): string {
  return new Date(now).toISOString();
}

function units(amount: string, currencyCode: string): bigint {
  try {
    return toMinorUnits(amount, currencyCode);
  } catch (error) {
    // Shopify's rounding of over-precise amounts is unknown; refusing keeps a test honest.
    if (error instanceof RangeError) throw new NotSimulatedError(error.message);
    throw error;
  }
}

function isLive(credit: StoreCreditTransactionRecord): boolean {
  return credit.kind === "credit" && !credit.expired;
}

function liveBalance(account: StoreCreditAccountRecord): bigint {
  return account.transactions
    .filter(isLive)
    .reduce((sum, t) => sum + toMinorUnits(t.remainingAmount ?? "0", account.currencyCode), 0n);
}

/** Records an expiration for every credit whose expiresAt has passed by `now`. */
export function settleStoreCredit(
  state: AdminApiState,
  account: StoreCreditAccountRecord,
  now = state.clock(),
): void {
  const due = account.transactions
    .filter((t) => isLive(t) && t.expiresAt !== null && Date.parse(t.expiresAt) <= now)
    .sort((a, b) => Date.parse(a.expiresAt!) - Date.parse(b.expiresAt!));
  for (const credit of due) {
    const currency = account.currencyCode;
    const left = toMinorUnits(credit.remainingAmount ?? "0", currency);
    credit.expired = true;
    // remainingAmount keeps what was left when it expired, as the field's description says.
    if (left === 0n) continue;
    account.transactions.push({
      id: gid("StoreCreditAccountExpirationTransaction", nextNumericId(state)),
      kind: "expiration",
      amount: fromMinorUnits(-left, currency),
      balanceAfterTransaction: fromMinorUnits(liveBalance(account), currency),
      createdAt: credit.expiresAt!,
      event: "ADJUSTMENT",
      expiresAt: null,
      remainingAmount: null,
      expired: false,
      notify: false,
      spent: [],
      relatedId: credit.id,
      orderId: null,
    });
  }
}

/** The balance after applying any expiry due by `now`, as a decimal string. */
export function storeCreditBalance(
  state: AdminApiState,
  account: StoreCreditAccountRecord,
  now = state.clock(),
): string {
  settleStoreCredit(state, account, now);
  return fromMinorUnits(liveBalance(account), account.currencyCode);
}

function byNumericId(a: { id: string }, b: { id: string }): number {
  return Number(parseGid(a.id)?.id ?? 0) - Number(parseGid(b.id)?.id ?? 0);
}

/** The owner's accounts, oldest first, with expiry applied. */
export function storeCreditAccountsOf(
  state: AdminApiState,
  ownerId: string,
  now = state.clock(),
): StoreCreditAccountRecord[] {
  const accounts = [...state.storeCreditAccounts.values()]
    .filter((a) => a.ownerId === ownerId)
    .sort(byNumericId);
  for (const account of accounts) settleStoreCredit(state, account, now);
  return accounts;
}

export function findStoreCreditAccount(
  state: AdminApiState,
  ownerId: string,
  currencyCode: string,
): StoreCreditAccountRecord | undefined {
  return [...state.storeCreditAccounts.values()].find(
    (a) => a.ownerId === ownerId && a.currencyCode === currencyCode,
  );
}

/**
 * The account an id names: an account gid, or an owner gid plus the currency. `create` makes the
 * owner's account for that currency when it has none (credits do, debits do not).
 */
function resolveAccount(
  state: AdminApiState,
  id: string,
  currencyCode: string,
  create: boolean,
): { account: StoreCreditAccountRecord | null; error: StoreCreditUserError | null } {
  const parsed = parseGid(id);
  const idError = (code: string, message: string) => ({
    account: null,
    error: { field: ["id"], message, code },
  });
  if (parsed?.type === "StoreCreditAccount") {
    const account = state.storeCreditAccounts.get(id);
    return account
      ? { account, error: null }
      : idError("ACCOUNT_NOT_FOUND", STORE_CREDIT_MESSAGES.accountNotFound);
  }
  if (parsed?.type === "CompanyLocation")
    throw new NotSimulatedError("store credit for CompanyLocation owners is not simulated");
  if (parsed?.type !== "Customer" || !state.customers.has(id))
    return idError("OWNER_NOT_FOUND", STORE_CREDIT_MESSAGES.ownerNotFound);
  const existing = findStoreCreditAccount(state, id, currencyCode);
  if (existing || !create)
    return existing
      ? { account: existing, error: null }
      : idError("ACCOUNT_NOT_FOUND", STORE_CREDIT_MESSAGES.accountNotFound);
  if (!state.presentmentCurrencies.includes(currencyCode)) {
    return {
      account: null,
      error: {
        field: ["creditInput", "creditAmount", "currencyCode"],
        message: STORE_CREDIT_MESSAGES.unsupportedCurrency,
        code: "UNSUPPORTED_CURRENCY",
      },
    };
  }
  const account: StoreCreditAccountRecord = {
    id: gid("StoreCreditAccount", nextNumericId(state)),
    ownerId: id,
    currencyCode,
    transactions: [],
  };
  state.storeCreditAccounts.set(account.id, account);
  return { account, error: null };
}

function failed(error: StoreCreditUserError): StoreCreditResult {
  return { account: null, transaction: null, userErrors: [error] };
}

export interface CreditInput {
  /** A StoreCreditAccount gid, or the owner's Customer gid. */
  id: string;
  creditAmount: MoneyInput;
  expiresAt?: string | null;
  notify?: boolean | null;
  event?: StoreCreditEvent;
  now?: number;
}

/** storeCreditAccountCredit: adds a credit, creating the owner's account for that currency. */
export function creditStoreCredit(state: AdminApiState, input: CreditInput): StoreCreditResult {
  const now = input.now ?? state.clock();
  const { amount, currencyCode } = input.creditAmount;
  const value = units(amount, currencyCode);
  if (value <= 0n) {
    return failed({
      field: ["creditInput", "creditAmount", "amount"],
      message: STORE_CREDIT_MESSAGES.creditNotPositive,
      code: "NEGATIVE_OR_ZERO_AMOUNT",
    });
  }
  const expiresAt = input.expiresAt ? at(Date.parse(input.expiresAt)) : null;
  if (expiresAt !== null && Date.parse(expiresAt) <= now) {
    return failed({
      field: ["creditInput", "expiresAt"],
      message: STORE_CREDIT_MESSAGES.expiresAtInPast,
      code: "EXPIRES_AT_IN_PAST",
    });
  }
  const { account, error } = resolveAccount(state, input.id, currencyCode, true);
  if (error) return failed(error);
  if (account!.currencyCode !== currencyCode) {
    return failed({
      field: ["creditInput", "creditAmount", "currencyCode"],
      message: STORE_CREDIT_MESSAGES.mismatchingCurrency,
      code: "MISMATCHING_CURRENCY",
    });
  }
  settleStoreCredit(state, account!, now);
  const credited = fromMinorUnits(value, currencyCode);
  const transaction: StoreCreditTransactionRecord = {
    id: gid("StoreCreditAccountCreditTransaction", nextNumericId(state)),
    kind: "credit",
    amount: credited,
    balanceAfterTransaction: fromMinorUnits(liveBalance(account!) + value, currencyCode),
    createdAt: at(now),
    event: input.event ?? "ADJUSTMENT",
    expiresAt,
    remainingAmount: credited,
    expired: false,
    notify: input.notify ?? false,
    spent: [],
    relatedId: null,
    orderId: null,
  };
  account!.transactions.push(transaction);
  return { account: account!, transaction, userErrors: [] };
}

export interface DebitInput {
  /** A StoreCreditAccount gid, or the owner's Customer gid (its account in that currency). */
  id: string;
  debitAmount: MoneyInput;
  event?: StoreCreditEvent;
  /** The order an ORDER_PAYMENT debit pays for. */
  orderId?: string | null;
  now?: number;
}

/** Credits in the order a debit spends them: soonest expiry first, never-expiring last. */
function spendingOrder(account: StoreCreditAccountRecord): StoreCreditTransactionRecord[] {
  const expiry = (t: StoreCreditTransactionRecord) =>
    t.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(t.expiresAt);
  // Array.prototype.sort is stable: equal expiries keep the order they were credited in.
  return account.transactions.filter(isLive).sort((a, b) => expiry(a) - expiry(b));
}

/** storeCreditAccountDebit (and checkout's ORDER_PAYMENT): takes from the balance, never below zero. */
export function debitStoreCredit(state: AdminApiState, input: DebitInput): StoreCreditResult {
  const now = input.now ?? state.clock();
  const { amount, currencyCode } = input.debitAmount;
  const value = units(amount, currencyCode);
  if (value <= 0n) {
    return failed({
      field: ["debitInput", "debitAmount", "amount"],
      message: STORE_CREDIT_MESSAGES.debitNotPositive,
      code: "NEGATIVE_OR_ZERO_AMOUNT",
    });
  }
  const { account, error } = resolveAccount(state, input.id, currencyCode, false);
  if (error) return failed(error);
  if (account!.currencyCode !== currencyCode) {
    return failed({
      field: ["debitInput", "debitAmount", "currencyCode"],
      message: STORE_CREDIT_MESSAGES.mismatchingCurrency,
      code: "MISMATCHING_CURRENCY",
    });
  }
  settleStoreCredit(state, account!, now);
  const balance = liveBalance(account!);
  if (value > balance) {
    return failed({
      field: ["debitInput", "debitAmount", "amount"],
      message: STORE_CREDIT_MESSAGES.insufficientFunds,
      code: "INSUFFICIENT_FUNDS",
    });
  }
  let left = value;
  const spent: StoreCreditTransactionRecord["spent"] = [];
  for (const credit of spendingOrder(account!)) {
    if (left === 0n) break;
    const remaining = toMinorUnits(credit.remainingAmount ?? "0", currencyCode);
    const take = remaining < left ? remaining : left;
    if (take === 0n) continue;
    credit.remainingAmount = fromMinorUnits(remaining - take, currencyCode);
    spent.push({ creditId: credit.id, amount: fromMinorUnits(take, currencyCode) });
    left -= take;
  }
  const transaction: StoreCreditTransactionRecord = {
    id: gid("StoreCreditAccountDebitTransaction", nextNumericId(state)),
    kind: "debit",
    amount: fromMinorUnits(-value, currencyCode),
    balanceAfterTransaction: fromMinorUnits(balance - value, currencyCode),
    createdAt: at(now),
    event: input.event ?? "ADJUSTMENT",
    expiresAt: null,
    remainingAmount: null,
    expired: false,
    notify: false,
    spent,
    relatedId: null,
    orderId: input.orderId ?? null,
  };
  account!.transactions.push(transaction);
  return { account: account!, transaction, userErrors: [] };
}
