import type { Prisma, ReferralStatus } from "@prisma/client";
import prisma from "../db.server";
import { REFERRAL_STATUSES, VOID_REASON_TEXT, type ReferralVoidReason } from "../domain/referrals";

const PAGE_SIZE = 50;

/** The Referrals page: newest invitations first, optionally of one status, 50 a page. */
export async function listReferrals(shop: string, status: ReferralStatus | null, page: number) {
  const where: Prisma.ReferralWhereInput = { shop, ...(status ? { status } : {}) };
  const [rows, counts] = await Promise.all([
    prisma.referral.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE + 1,
      include: {
        referrer: {
          select: { id: true, email: true, firstName: true, lastName: true, customerId: true },
        },
      },
    }),
    prisma.referral.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
  ]);
  const count = (s: ReferralStatus) => counts.find((c) => c.status === s)?._count._all ?? 0;
  return {
    page,
    hasNext: rows.length > PAGE_SIZE,
    counts: Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, count(s)])) as Record<
      ReferralStatus,
      number
    >,
    referrals: rows.slice(0, PAGE_SIZE).map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      referrer: {
        memberId: r.referrer.id,
        name:
          [r.referrer.firstName, r.referrer.lastName].filter(Boolean).join(" ") ||
          r.referrer.email ||
          `Customer ${r.referrer.customerId}`,
      },
      // The friend's email when known; a customer erased on request (customers/redact) is not.
      friend: r.customerId.startsWith("redacted:")
        ? "Erased at the customer's request"
        : (r.email ?? `Customer ${r.customerId}`),
      code: r.code,
      // A code Shopify has not confirmed is not one the friend can use: the list says so.
      codeStatus: r.codeStatus,
      status: r.status,
      reason: r.voidReason ? VOID_REASON_TEXT[r.voidReason as ReferralVoidReason] : null,
      order: r.orderId ? { id: r.orderId, name: r.orderName ?? r.orderId } : null,
      points: r.points,
      availableAt: r.availableAt?.toISOString() ?? null,
    })),
  };
}
