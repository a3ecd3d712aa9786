import type { Member, Prisma, PrismaClient, Program } from "@prisma/client";
import type { CustomerMetafieldKey } from "../domain/customer-sync";
import {
  CUSTOMER_METAFIELDS,
  customerMetafieldValues,
  MEMBERS_PER_CALL,
  tierTag,
} from "../domain/customer-sync";
import { knownTimeZone } from "../domain/time-zones";
import { errorFields, log } from "../log.server";
import type { AdminGraphqlClient } from "../shopify/admin-api.server";
import { AdminApiError, adminQuery } from "../shopify/admin-api.server";
import {
  ADD_CUSTOMER_TAGS,
  DELETE_CUSTOMER_METAFIELDS,
  REMOVE_CUSTOMER_TAGS,
  SYNC_CUSTOMER_METAFIELDS,
} from "../shopify/operations";
import type {
  LoyaltyAddCustomerTagsMutation,
  LoyaltyDeleteCustomerMetafieldsMutation,
  LoyaltyRemoveCustomerTagsMutation,
  LoyaltySyncCustomerMetafieldsMutation,
} from "../types/admin.generated";

/**
 * Customer sync: each member's balance, tier and expiry date in app-owned customer metafields,
 * and their tier as a tag, for themes, Flow, segments and discounts. Every write that changes one
 * of them marks the member (`syncDirty`, in the same update); the worker writes marked members in
 * batches, each metafield compare-and-set against the digest Shopify gave for our last write, and
 * clears the mark only if the member has not changed since it was read. The database stays the
 * truth: a write refused as stale is made again from it on the next run.
 */

/** One run works this long per minute-long schedule, then leaves the rest to the next run. */
const RUN_BUDGET_MS = 45_000;
const NAMESPACE = "$app";

type Digests = Partial<Record<CustomerMetafieldKey, string>>;
type Synced = Member & { tier: { name: string } | null };

export interface SyncResult {
  synced: number;
  failed: number;
  /** Shops whose run stopped early: Shopify throttled or could not be reached. */
  deferred: string[];
}

export async function syncCustomers(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  budgetMs = RUN_BUDGET_MS,
): Promise<SyncResult> {
  const result: SyncResult = { synced: 0, failed: 0, deferred: [] };
  const started = Date.now();
  const programs = await prisma.program.findMany({
    where: { OR: [{ customerSync: true }, { tierTags: true }] },
  });
  for (const program of programs) {
    const admin = await adminFor(program.shop);
    if (!admin) continue;
    // Members that failed for good in this run are not tried again in it.
    const skip = new Set<string>();
    while (Date.now() - started < budgetMs) {
      const members = await prisma.member.findMany({
        where: { shop: program.shop, syncDirty: true, id: { notIn: [...skip] } },
        orderBy: { id: "asc" },
        take: MEMBERS_PER_CALL,
        include: { tier: { select: { name: true } } },
      });
      if (!members.length) break;
      try {
        const done = await syncBatch(prisma, admin, program, members);
        result.synced += done.synced;
        result.failed += done.failed.length;
        // Members whose write was refused as stale go round again, written plain from the
        // ledger's values (their digests were dropped).
        for (const id of done.failed) skip.add(id);
      } catch (error) {
        if (!(error instanceof AdminApiError) || error.kind === "permanent") throw error;
        // Throttled beyond the call's budget, or Shopify unreachable: the marks stay.
        log.warn("customer sync deferred", { shop: program.shop, ...errorFields(error) });
        result.deferred.push(program.shop);
        break;
      }
    }
  }
  return result;
}

async function syncBatch(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  program: Program,
  members: Synced[],
): Promise<{ synced: number; failed: string[] }> {
  const timeZone = knownTimeZone(program.timeZone);
  const gid = (m: Member) => `gid://shopify/Customer/${m.customerId}`;
  const digests = new Map(members.map((m) => [m.id, { ...((m.syncDigests ?? {}) as Digests) }]));
  const failed = new Map<string, string>();
  const stale = new Set<string>();

  if (program.customerSync) {
    const sets: { member: Synced; key: CustomerMetafieldKey; input: Record<string, unknown> }[] =
      [];
    const deletes: { member: Synced; key: CustomerMetafieldKey }[] = [];
    for (const member of members) {
      const values = customerMetafieldValues(
        {
          balance: member.balance,
          tierName: member.tier?.name ?? null,
          expiresAt: member.expiresAt,
        },
        timeZone,
      );
      const known = digests.get(member.id)!;
      for (const key of Object.keys(CUSTOMER_METAFIELDS) as CustomerMetafieldKey[]) {
        const value = values[key];
        if (value === null) {
          if (known[key]) deletes.push({ member, key });
          continue;
        }
        sets.push({
          member,
          key,
          input: {
            ownerId: gid(member),
            namespace: NAMESPACE,
            key,
            type: CUSTOMER_METAFIELDS[key],
            value,
            // Without a digest (the first write, or one refused as stale) the write is plain.
            ...(known[key] ? { compareDigest: known[key] } : {}),
          },
        });
      }
    }
    if (sets.length) {
      const { metafieldsSet } = await adminQuery<LoyaltySyncCustomerMetafieldsMutation>(
        admin,
        SYNC_CUSTOMER_METAFIELDS,
        { metafields: sets.map((s) => s.input) },
      );
      const errors = metafieldsSet?.userErrors ?? [];
      if (errors.length) {
        // The call is atomic: nothing was written. The members at fault are set aside.
        for (const error of errors) {
          const set = error.elementIndex === null ? undefined : sets[error.elementIndex ?? -1];
          if (!set) throw new AdminApiError(`metafieldsSet: ${error.message}`, "permanent");
          if (error.code === "STALE_OBJECT") stale.add(set.member.id);
          else failed.set(set.member.id, error.message);
        }
        for (const id of stale) digests.set(id, {});
        await settle(prisma, members, digests, failed, stale, new Map());
        return { synced: 0, failed: [...failed.keys()] };
      }
      (metafieldsSet?.metafields ?? []).forEach((written, index) => {
        const set = sets[index];
        if (set) digests.get(set.member.id)![set.key] = written.compareDigest;
      });
    }
    if (deletes.length) {
      await adminQuery<LoyaltyDeleteCustomerMetafieldsMutation>(admin, DELETE_CUSTOMER_METAFIELDS, {
        metafields: deletes.map((d) => ({
          ownerId: gid(d.member),
          namespace: NAMESPACE,
          key: d.key,
        })),
      });
      for (const d of deletes) delete digests.get(d.member.id)![d.key];
    }
  }

  const tags = new Map<string, string | null>();
  for (const member of members) {
    const want = program.tierTags ? tierTag(member.tier?.name ?? null) : null;
    const had = member.syncedTierTag;
    if (want !== had) {
      if (had) {
        await adminQuery<LoyaltyRemoveCustomerTagsMutation>(admin, REMOVE_CUSTOMER_TAGS, {
          id: gid(member),
          tags: [had],
        });
      }
      if (want) {
        const { tagsAdd } = await adminQuery<LoyaltyAddCustomerTagsMutation>(
          admin,
          ADD_CUSTOMER_TAGS,
          { id: gid(member), tags: [want] },
        );
        const problem = tagsAdd?.userErrors[0]?.message;
        if (problem) {
          failed.set(member.id, problem);
          continue;
        }
      }
    }
    tags.set(member.id, want);
  }
  const synced = await settle(prisma, members, digests, failed, stale, tags);
  return { synced, failed: [...failed.keys()] };
}

/**
 * Records what was written. The mark is cleared only where the member is as it was read (a
 * conditional update): one changed meanwhile stays marked and is written again.
 */
async function settle(
  prisma: PrismaClient,
  members: Synced[],
  digests: Map<string, Digests>,
  failed: Map<string, string>,
  stale: Set<string>,
  tags: Map<string, string | null>,
): Promise<number> {
  let synced = 0;
  for (const member of members) {
    const written = {
      syncDigests: digests.get(member.id) as Prisma.InputJsonObject,
      ...(tags.has(member.id) ? { syncedTierTag: tags.get(member.id) } : {}),
    };
    const error = failed.get(member.id);
    if (error) {
      log.warn("customer sync failed for a member", {
        shop: member.shop,
        memberId: member.id,
        error,
      });
      await prisma.member.update({
        where: { id: member.id },
        data: { ...written, syncDirty: false, syncError: error },
      });
      continue;
    }
    if (stale.has(member.id) || !tags.has(member.id)) {
      await prisma.member.update({ where: { id: member.id }, data: written });
      continue;
    }
    const { count } = await prisma.member.updateMany({
      where: {
        id: member.id,
        balance: member.balance,
        tierId: member.tierId,
        expiresAt: member.expiresAt,
      },
      data: { ...written, syncDirty: false, syncError: null },
    });
    if (count === 0) await prisma.member.update({ where: { id: member.id }, data: written });
    else synced += 1;
  }
  return synced;
}
