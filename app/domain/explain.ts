import type { RuleSnapshot } from "./earning";
import type { Contribution } from "./earning-rules";
import { formatAmount, formatMoney } from "./money";

/**
 * "Why didn't this customer get points?" — the story of one order, from what we recorded when
 * its webhooks arrived. Everything comes from stored facts (the rule snapshot taken at earn time,
 * the ledger entries), never from today's settings, so the answer stays true after the program
 * changes.
 */

export type LineTone = "success" | "info" | "warning" | "critical";

export interface ExplainLine {
  tone: LineTone;
  title: string;
  detail: string;
  /** Change to the member's points (spendable + pending) this line stands for. */
  points?: number;
  at?: string;
}

export interface Explanation {
  headline: string;
  tone: LineTone;
  /** Points the order holds now: earned minus taken back. */
  net: number;
  lines: ExplainLine[];
}

export interface ExplainInput {
  order: {
    orderId: string;
    name: string | null;
    status: string;
    skipReason: string | null;
    customerId: string | null;
    currency: string | null;
    totalMinor: number | null;
    basisMinor: number;
    earnedPoints: number;
    clawedBackPoints: number;
    pendingRemaining: number;
    availableAt: Date | null;
    paidAt: Date | null;
    cancelledAt: Date | null;
    rule: RuleSnapshot | null;
  };
  entries: {
    kind: string;
    points: number;
    pendingPoints: number;
    shortfall: number;
    occurredAt: Date;
    sourceId: string | null;
  }[];
  refunds: {
    refundId: string;
    subtotalMinor: number;
    createdAtShopify: Date;
    appliedAt: Date | null;
  }[];
  rewardCodes: { code: string; rewardName: string }[];
  pointsName: { one: string; other: string };
  now: Date;
}

const ROUNDING_WORDS: Record<string, string> = {
  DOWN: "rounded down",
  NEAREST: "rounded to the nearest point",
  UP: "rounded up",
};

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function money(minor: number, currency: string | null): string {
  const code = currency ?? "USD";
  try {
    return formatMoney(minor, code);
  } catch {
    return `${minor} (minor units)`;
  }
}

function pts(n: number, name: { one: string; other: string }): string {
  return `${n.toLocaleString("en")} ${Math.abs(n) === 1 ? name.one : name.other}`;
}

const SKIPPED: Record<string, { headline: string; detail: string }> = {
  GUEST_CHECKOUT: {
    headline: "No points: guest checkout",
    detail:
      "The order was placed without a customer account, so there was no member to give points to. If the shopper creates an account, you can add the points by hand on their member page.",
  },
  TEST_ORDER: {
    headline: "No points: test order",
    detail:
      "Test orders earn nothing unless “Award points on test orders” is on in Program settings.",
  },
  PROGRAM_OFF: {
    headline: "No points: the program was off",
    detail:
      "The program was switched off when this order was paid, and orders paid while it is off never earn. Add points by hand on the member page if you want to make up for it.",
  },
  REJECTED: {
    headline: "No points: not approved",
    detail:
      "The order would have earned more than the most points one order may earn (Program settings), and it was reviewed and not credited.",
  },
};

const CONTRIBUTION_WORDS: Record<Contribution["rule"], (c: Contribution) => string> = {
  ORDER_SPEND: () => "from the earn rate",
  TIER_MULTIPLIER: (c) =>
    `from the ${c.tier ?? "member's"} tier (× ${(c.multiplierPercent ?? 100) / 100})`,
  SIGNUP_BONUS: () => "signup bonus",
  CAMPAIGN_MULTIPLIER: (c) =>
    `from the campaign “${c.campaign ?? "campaign"}” (× ${(c.multiplierPercent ?? 100) / 100})${onLines(c)}`,
  CAMPAIGN_BONUS: (c) => `bonus from the campaign “${c.campaign ?? "campaign"}”${onLines(c)}`,
  BONUS_ACTION: () => "for an action reported through Shopify Flow",
  REFERRAL: () => "for a referred friend's first order",
  BIRTHDAY: () => "birthday bonus",
  SURVEY: () => "for answering the survey",
  SOCIAL_FOLLOW: (c) => `for opening the shop's ${c.network ?? "social"} page (not verified)`,
};

/** A campaign on some products names how many of the order's lines it counted. */
function onLines(c: Contribution): string {
  if (!c.lineIds) return "";
  const n = c.lineIds.length;
  return ` on ${n} line${n === 1 ? "" : "s"} of its products`;
}

/** "45 points from the earn rate, 23 points from the Gold tier (× 1.5). " — when there are two or more. */
function contributionParts(contributions: Contribution[], name: { one: string; other: string }) {
  if (contributions.length < 2) return "";
  const parts = contributions.map((c) => `${pts(c.points, name)} ${CONTRIBUTION_WORDS[c.rule](c)}`);
  return `${parts.join(", ")}. `;
}

export function explainOrder(input: ExplainInput): Explanation {
  const { order, pointsName } = input;
  const currency = order.rule?.currency ?? order.currency;
  const lines: ExplainLine[] = [];
  const label = order.name ?? `Order ${order.orderId}`;

  if (order.status === "AWAITING_PAYMENT" || !order.paidAt) {
    lines.push({
      tone: "info",
      title: "Payment not received yet",
      detail: `We have heard about ${label} (a refund or cancellation) but not its payment. Points are awarded when Shopify reports the order paid; anything that arrived early is applied right after.`,
    });
    return { headline: "No points yet: not paid", tone: "info", net: 0, lines };
  }

  if (order.status === "HELD") {
    lines.push({
      tone: "warning",
      title: `Waiting for review: ${pts(order.earnedPoints, pointsName)}`,
      detail: `${label} would earn ${pts(order.earnedPoints, pointsName)} on ${money(order.basisMinor, currency)}, more than one order may earn without review (Program settings). Nothing is credited until you approve it; refunds and a cancellation that arrive meanwhile are applied right after.`,
      at: order.paidAt.toISOString(),
    });
    return { headline: "Held for review", tone: "warning", net: 0, lines };
  }

  if (order.status === "SKIPPED") {
    const known = SKIPPED[order.skipReason ?? ""];
    lines.push({
      tone: "warning",
      title: known?.headline ?? "No points",
      detail:
        known?.detail ?? `The order was skipped (${order.skipReason ?? "no reason recorded"}).`,
      at: order.paidAt.toISOString(),
    });
    if (order.totalMinor !== null) {
      lines.push({
        tone: "info",
        title: "Order total",
        detail: `${money(order.totalMinor, currency)}, paid ${day(order.paidAt)}.`,
      });
    }
    return { headline: known?.headline ?? "No points", tone: "warning", net: 0, lines };
  }

  const rule = order.rule;
  lines.push({
    tone: "info",
    title: "Earning amount",
    detail: `${money(order.basisMinor, currency)}: the subtotal after discounts, without shipping${rule?.taxesIncluded ? " and with the included tax taken out" : " and without tax"}.`,
    at: order.paidAt.toISOString(),
  });
  if (rule) {
    const tier =
      rule.multiplierPercent !== 100
        ? `, × ${rule.multiplierPercent / 100} for ${rule.tier ?? "the member's tier"}`
        : rule.tier
          ? ` (${rule.tier} tier, no multiplier)`
          : "";
    lines.push({
      tone: "info",
      title: "Rule at the time",
      detail: `${pts(rule.earnPoints, pointsName)} per ${formatAmount(rule.perAmount, rule.currency)}${tier}, ${ROUNDING_WORDS[rule.rounding] ?? rule.rounding} once per order.`,
    });
  }

  if (order.earnedPoints === 0) {
    lines.push({
      tone: "warning",
      title: "Nothing to earn",
      detail: `${money(order.basisMinor, currency)} earns less than one point at this rate.`,
    });
  } else {
    const earn = input.entries.find((e) => e.kind === "EARN");
    const pendingAtEarn = earn?.pendingPoints ?? 0;
    const parts = rule?.contributions?.length
      ? contributionParts(rule.contributions, pointsName)
      : "";
    lines.push({
      tone: "success",
      title: `Earned ${pts(order.earnedPoints, pointsName)}`,
      detail: `${parts}${
        pendingAtEarn > 0
          ? `${pts(pendingAtEarn, pointsName)} were held for the ${rule?.pendingDays ? `${rule.pendingDays}-day ` : ""}pending period.`
          : "Spendable at once."
      }`,
      points: order.earnedPoints,
      at: (earn?.occurredAt ?? order.paidAt).toISOString(),
    });
  }

  for (const entry of input.entries.filter((e) => e.kind === "RELEASE")) {
    lines.push({
      tone: "success",
      title: "Pending points became spendable",
      detail: `${pts(entry.points, pointsName)} released after the pending period.`,
      at: entry.occurredAt.toISOString(),
    });
  }
  if (order.pendingRemaining > 0 && order.availableAt) {
    lines.push({
      tone: "info",
      title: "Still pending",
      detail: `${pts(order.pendingRemaining, pointsName)} become spendable on ${day(order.availableAt)}${order.availableAt <= input.now ? " (at the next scheduled run)" : ""}.`,
    });
  }

  for (const refund of input.refunds) {
    const entry = input.entries.find(
      (e) => e.kind === "REFUND_CLAWBACK" && e.sourceId === refund.refundId,
    );
    const taken = entry ? -(entry.points + entry.pendingPoints) : 0;
    if (!refund.appliedAt) {
      lines.push({
        tone: "info",
        title: "Refund waiting",
        detail: `A refund of ${money(refund.subtotalMinor, currency)} will be applied when the order is paid.`,
        at: refund.createdAtShopify.toISOString(),
      });
      continue;
    }
    lines.push({
      tone: taken > 0 ? "critical" : "info",
      title: taken > 0 ? `Refund took back ${pts(taken, pointsName)}` : "Refund took nothing back",
      detail:
        taken > 0
          ? `Refund of ${money(refund.subtotalMinor, currency)} (its share of the earning amount).`
          : `Refund of ${money(refund.subtotalMinor, currency)}: shipping, tax or rounding only, or the points were already gone.`,
      // 0, not -0, when nothing was taken.
      points: taken > 0 ? -taken : 0,
      at: refund.createdAtShopify.toISOString(),
    });
    if (entry && entry.shortfall > 0) lines.push(shortfallLine(entry.shortfall, pointsName));
  }

  const cancel = input.entries.find((e) => e.kind === "CANCEL_REVERSAL");
  if (order.cancelledAt) {
    const taken = cancel ? -(cancel.points + cancel.pendingPoints) : 0;
    lines.push({
      tone: "critical",
      title: taken > 0 ? `Cancelled: ${pts(taken, pointsName)} reversed` : "Cancelled",
      detail: "A cancelled order keeps no points.",
      points: taken > 0 ? -taken : 0,
      at: order.cancelledAt.toISOString(),
    });
    if (cancel && cancel.shortfall > 0) lines.push(shortfallLine(cancel.shortfall, pointsName));
  }

  for (const used of input.rewardCodes) {
    lines.push({
      tone: "info",
      title: "Reward used",
      detail: `Code ${used.code} (${used.rewardName}) was used on this order.`,
    });
  }

  const net = order.earnedPoints - order.clawedBackPoints;
  const headline =
    order.earnedPoints === 0
      ? "No points: nothing to earn"
      : order.clawedBackPoints > 0
        ? `Earned ${pts(order.earnedPoints, pointsName)}, ${pts(order.clawedBackPoints, pointsName)} taken back`
        : `Earned ${pts(order.earnedPoints, pointsName)}`;
  return {
    headline,
    tone: order.earnedPoints === 0 ? "warning" : net > 0 ? "success" : "critical",
    net,
    lines,
  };
}

function shortfallLine(shortfall: number, name: { one: string; other: string }): ExplainLine {
  return {
    tone: "warning",
    title: `${pts(shortfall, name)} could not be taken back`,
    detail:
      "The member had already spent them, and balances do not go below zero (Program settings → Allow negative balances).",
  };
}

/** One-line outcome for order lists. */
export function orderOutcome(order: {
  status: string;
  skipReason: string | null;
  earnedPoints: number;
  clawedBackPoints: number;
  paidAt: Date | null;
}): string {
  if (order.status === "AWAITING_PAYMENT" || !order.paidAt) return "Not paid yet";
  if (order.status === "HELD") return `Held for review: ${order.earnedPoints}`;
  if (order.status === "SKIPPED") {
    switch (order.skipReason) {
      case "GUEST_CHECKOUT":
        return "No points: guest checkout";
      case "TEST_ORDER":
        return "No points: test order";
      case "PROGRAM_OFF":
        return "No points: program off";
      case "REJECTED":
        return "No points: not approved";
      default:
        return "No points";
    }
  }
  if (order.earnedPoints === 0) return "No points: nothing to earn";
  if (order.clawedBackPoints > 0)
    return `Earned ${order.earnedPoints}, ${order.clawedBackPoints} taken back`;
  return `Earned ${order.earnedPoints}`;
}

export const LEDGER_KIND_LABELS: Record<string, string> = {
  EARN: "Order",
  RELEASE: "Pending points released",
  REFUND_CLAWBACK: "Refund",
  CANCEL_REVERSAL: "Order cancelled",
  SIGNUP_BONUS: "Signup bonus",
  EXPIRE: "Expired",
  MANUAL: "Manual adjustment",
  IMPORT: "Import",
  REDEEM: "Reward redeemed",
  REDEEM_RETURN: "Points returned",
};
