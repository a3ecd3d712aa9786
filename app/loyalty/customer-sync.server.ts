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
  /** Shops whose run stopped early: throttled, unreachable, or refusing the app. */
  deferred: string[];
}

/** The least a shop gets of a run, however many shops share it. */
const MIN_SLICE_MS = 2_000;

/**
 * Each shop gets a slice of the run, so a shop that just switched sync on with a million members
 * does not hold the others back; the shop that starts the run rotates from one run to the next.
 * A shop whose calls fail (throttled, unreachable, or refused: a frozen store, missing access)
 * keeps its marks for the next run and never stops the other shops.
 */
export async function syncCustomers(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  budgetMs = RUN_BUDGET_MS,
  now = new Date(),
): Promise<SyncResult> {
  const result: SyncResult = { synced: 0, failed: 0, deferred: [] };
  const started = Date.now();
  const programs = await prisma.program.findMany({
    where: { OR: [{ customerSync: true }, { tierTags: true }] },
    orderBy: { shop: "asc" },
  });
  const first = programs.length ? Math.floor(now.getTime() / 60_000) % programs.length : 0;
  const rotated = [...programs.slice(first), ...programs.slice(0, first)];
  for (const [index, program] of rotated.entries()) {
    const left = budgetMs - (Date.now() - started);
    if (left <= 0) break;
    const slice = Math.max(MIN_SLICE_MS, left / (rotated.length - index));
    try {
      await syncShop(prisma, adminFor, program, Date.now() + slice, result);
    } catch (error) {
      log[error instanceof AdminApiError && error.kind !== "permanent" ? "warn" : "error"](
        "customer sync deferred",
        { shop: program.shop, ...errorFields(error) },
      );
      result.deferred.push(program.shop);
    }
  }
  return result;
}

async function syncShop(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  program: Program,
  deadline: number,
  result: SyncResult,
) {
  const admin = await adminFor(program.shop);
  if (!admin) return;
  // Members that failed for good in this run are not tried again in it.
  const skip = new Set<string>();
  while (Date.now() < deadline) {
    const members = await prisma.member.findMany({
      where: { shop: program.shop, syncDirty: true, id: { notIn: [...skip] } },
      orderBy: { id: "asc" },
      take: MEMBERS_PER_CALL,
      include: { tier: { select: { name: true } } },
    });
    if (!members.length) return;
    const done = await syncBatch(prisma, admin, program, members);
    result.synced += done.synced;
    result.failed += done.failed.length;
    // Members whose write was refused as stale go round again, written plain from the
    // ledger's values (their digests were dropped).
    for (const id of done.failed) skip.add(id);
  }
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
          // Deleting a metafield that is not there is a no-op, so no digest is needed.
          deletes.push({ member, key });
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
      // Shopify answers in the order of the input; a digest is kept only where the key agrees
      // (a missing one means the next write is plain).
      (metafieldsSet?.metafields ?? []).forEach((written, index) => {
        const set = sets[index];
        if (set && written.key === set.key)
          digests.get(set.member.id)![set.key] = written.compareDigest;
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
    try {
      if (want !== had) {
        // The new tag first: a member is never left without one because the add failed.
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
        if (had) {
          await adminQuery<LoyaltyRemoveCustomerTagsMutation>(admin, REMOVE_CUSTOMER_TAGS, {
            id: gid(member),
            tags: [had],
          });
        }
      }
      tags.set(member.id, want);
    } catch (error) {
      // Refused for this customer alone: set aside; throttled or unreachable: the whole shop waits.
      if (!(error instanceof AdminApiError) || error.kind !== "permanent") throw error;
      failed.set(member.id, error.message);
    }
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
