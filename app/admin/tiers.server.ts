import type { TierReevaluation } from "@prisma/client";
import prisma from "../db.server";
import type { FieldErrors } from "../domain/forms";
import type { TierLadder } from "../domain/tier-ladder";
import { ladderAffectsQualification } from "../domain/tier-ladder";
import type { TierBasis } from "../domain/tiers";
import { errorFields, log } from "../log.server";
import { evaluateTier, membersDueATierChange } from "../loyalty/members.server";
import { shopConfig } from "../loyalty/shop-config.server";
import type { JobContext } from "../worker/jobs.server";
import { jobQueue } from "../worker/queue.server";
import { memberTotal } from "./members.server";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

/**
 * Re-evaluating members after the ladder changes is a job record that the worker's
 * "tier-reevaluation" job advances in batches to the end; the save request only creates it and
 * queues the job, and the open page reloads its data to show progress. If the job is lost (worker
 * down, retries exhausted) the page offers to resume it, and the daily tier review re-evaluates
 * every member anyway.
 */
const BATCH = 100;
/** How long the page still shows a finished re-evaluation's result. */
const SHOW_FINISHED_FOR_MS = 60 * 60 * 1000;
/** Every batch touches the job; a running job untouched for this long is waiting on nobody. */
const STALLED_AFTER_MS = 2 * 60_000;

export async function tiersPage(shop: string) {
  const program = await loadProgram(shop);
  const tiers = await prisma.tier.findMany({
    where: { shop },
    orderBy: [{ threshold: "asc" }],
    include: { _count: { select: { members: true } } },
  });
  const restricted = await prisma.reward.findMany({
    where: { shop, tierId: { in: tiers.map((t) => t.id) } },
    select: { name: true, tierId: true },
  });
  // A running job, or one that finished lately: an old "re-evaluated" card (or one from a shop
  // with nothing to check) would read as news on every visit.
  const job = await prisma.tierReevaluation.findFirst({
    where: {
      shop,
      OR: [
        { status: "RUNNING" },
        { total: { gt: 0 }, finishedAt: { gte: new Date(Date.now() - SHOW_FINISHED_FOR_MS) } },
      ],
    },
    orderBy: { createdAt: "desc" },
  });
  return {
    currency: program.currency,
    tierPerksError: program.tierPerksError,
    // Perks reach buyers only through the tier on their Shopify customer (customer sync).
    customerSync: program.customerSync,
    tierBasis: program.tierBasis as TierBasis,
    tierPeriod: program.tierPeriod,
    memberCount: await memberTotal(shop),
    tiers: tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      threshold: tier.threshold,
      multiplierPercent: tier.multiplierPercent,
      perks: tier.perks,
      perkPercent: tier.perkPercent,
      perkFreeShipping: tier.perkFreeShipping,
      members: tier._count.members,
      rewards: restricted.filter((r) => r.tierId === tier.id).map((r) => r.name),
    })),
    job: job ? jobView(job) : null,
  };
}

export function jobView(job: TierReevaluation) {
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    processed: job.processed,
    changed: job.changed,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    stalled: job.status === "RUNNING" && Date.now() - job.updatedAt.getTime() > STALLED_AFTER_MS,
  };
}

export type SaveTiersResult =
  { ok: true; job: ReturnType<typeof jobView> | null } | { ok: false; errors: FieldErrors };

export async function saveTiers(
  shop: string,
  ladder: TierLadder,
  staff: string,
  options: { now?: Date } = {},
): Promise<SaveTiersResult> {
  const now = options.now ?? new Date();
  const existing = await prisma.tier.findMany({ where: { shop } });
  const byId = new Map(existing.map((t) => [t.id, t]));
  // An id that is not one of this shop's tiers is someone else's (or stale): not found.
  for (const tier of ladder.tiers) if (tier.id && !byId.has(tier.id)) notFound("Tier not found");

  const kept = new Set(ladder.tiers.map((t) => t.id).filter(Boolean));
  const removed = existing.filter((t) => !kept.has(t.id));
  if (removed.length) {
    const blocking = await prisma.reward.findMany({
      where: { shop, tierId: { in: removed.map((t) => t.id) } },
      select: { name: true, tierId: true },
    });
    if (blocking.length) {
      const names = blocking
        .map((r) => `${r.name} (${byId.get(r.tierId!)?.name ?? "removed tier"})`)
        .join(", ");
      return {
        ok: false,
        errors: {
          form: `These rewards are restricted to a tier you are removing: ${names}. Change their tier restriction first.`,
        },
      };
    }
  }

  const program = await loadProgram(shop);
  const requalify = ladderAffectsQualification(
    {
      tierBasis: program.tierBasis,
      tierPeriod: program.tierPeriod,
      tiers: existing.map((t) => ({ id: t.id, threshold: t.threshold })),
    },
    ladder,
  );

  const job = await prisma.$transaction(async (tx) => {
    await tx.program.update({
      where: { shop },
      data: { tierBasis: ladder.tierBasis, tierPeriod: ladder.tierPeriod },
    });
    // Their tier's name is on their Shopify customer (customer sync): written again.
    const renamed = ladder.tiers.flatMap((t) =>
      t.id && byId.get(t.id)!.name !== t.name ? [t.id] : [],
    );
    const touched = [...removed.map((t) => t.id), ...renamed];
    if (touched.length) {
      await tx.member.updateMany({
        where: { shop, tierId: { in: touched } },
        data: { syncDirty: true },
      });
    }
    // Members of a removed tier fall to none (onDelete: SetNull) until re-evaluated below.
    await tx.tier.deleteMany({ where: { shop, id: { in: removed.map((t) => t.id) } } });
    // Names are unique per shop: park renamed tiers first so swapping two names cannot collide.
    for (const tier of ladder.tiers) {
      if (tier.id && byId.get(tier.id)!.name !== tier.name) {
        await tx.tier.update({ where: { id: tier.id }, data: { name: `~renaming~${tier.id}` } });
      }
    }
    for (const tier of ladder.tiers) {
      const data = {
        name: tier.name,
        threshold: tier.threshold,
        multiplierPercent: tier.multiplierPercent,
        perks: tier.perks,
        perkPercent: tier.perkPercent ?? null,
        perkFreeShipping: tier.perkFreeShipping ?? false,
        position: tier.position,
      };
      if (tier.id) await tx.tier.update({ where: { id: tier.id }, data });
      else await tx.tier.create({ data: { shop, ...data } });
    }
    if (!requalify) return null;
    await tx.tierReevaluation.updateMany({
      where: { shop, status: "RUNNING" },
      data: { status: "SUPERSEDED", finishedAt: now },
    });
    const total = await tx.member.count({ where: { shop } });
    // Without members there is nothing to re-evaluate: the job is done as it starts.
    return tx.tierReevaluation.create({
      data: {
        shop,
        total,
        createdBy: staff,
        ...(total === 0 ? { status: "DONE" as const, finishedAt: now } : {}),
      },
    });
  });

  await queueTierPerks(shop);
  if (!job) return { ok: true, job: null };
  if (job.status === "RUNNING") await queueReevaluation(shop, job.id);
  return { ok: true, job: jobView(job) };
}

/**
 * The tiers' checkout perks go to Shopify from the worker (app/loyalty/tier-perks.server.ts);
 * if the queue cannot be reached, its 15-minute run writes them.
 */
async function queueTierPerks(shop: string) {
  try {
    await jobQueue().send("sync-tier-perks", { shop });
  } catch (error) {
    log.error("tier perks could not be queued", { shop, ...errorFields(error) });
  }
}

/**
 * Hands the job to the worker. If the queue cannot be reached the job stays RUNNING, and the page
 * offers to resume it once it has not moved for a while.
 */
async function queueReevaluation(shop: string, jobId: string): Promise<boolean> {
  try {
    await jobQueue().send("tier-reevaluation", { shop, jobId });
    return true;
  } catch (error) {
    log.error("tier re-evaluation could not be queued", { shop, jobId, ...errorFields(error) });
    return false;
  }
}

async function findJob(shop: string, jobId: string) {
  const job = await prisma.tierReevaluation.findFirst({ where: { id: jobId, shop } });
  if (!job) notFound("Re-evaluation not found");
  return job;
}

/** "Resume re-evaluation": queues a running job again and restarts the page's stalled clock. */
export async function resumeReevaluation(shop: string, jobId: string) {
  const job = await findJob(shop, jobId);
  if (job.status !== "RUNNING") return { ok: true as const, job: jobView(job) };
  await prisma.tierReevaluation.updateMany({
    where: { id: job.id, status: "RUNNING" },
    data: { updatedAt: new Date() },
  });
  if (!(await queueReevaluation(shop, job.id)))
    return {
      ok: false as const,
      errors: { form: "The re-evaluation could not be resumed. Try again shortly." },
    };
  return { ok: true as const, job: jobView(await findJob(shop, job.id)) };
}

/**
 * The "tier-reevaluation" job: re-evaluates the job's members in batches until it is done. A job
 * that is gone, superseded by a newer save or done is left alone. Safe to run twice at once.
 */
export async function runReevaluation(
  context: Pick<JobContext, "now">,
  shop: string,
  jobId: string,
): Promise<{ processed: number; changed: number } | null> {
  for (;;) {
    const job = await prisma.tierReevaluation.findFirst({ where: { id: jobId, shop } });
    if (!job) return null;
    if (job.status !== "RUNNING") return { processed: job.processed, changed: job.changed };
    await reevaluationBatch(job, context.now());
  }
}

/** Re-evaluates the next batch of the job's members, in member id order from its cursor. */
export async function reevaluationBatch(job: TierReevaluation, now: Date) {
  const program = await loadProgram(job.shop);
  const members = await prisma.member.findMany({
    where: { shop: job.shop, ...(job.cursor ? { id: { gt: job.cursor } } : {}) },
    orderBy: { id: "asc" },
    take: BATCH,
  });
  let changed = 0;
  for (const { id } of await membersDueATierChange(prisma, program, members, now)) {
    changed += await prisma.$transaction(async (tx) => {
      // Updating the row first waits for any other writer of this member (another run of this
      // job, an order webhook); what is read after it is current, so each change is recorded once.
      const touched = await tx.member.updateMany({
        where: { id },
        data: { updatedAt: new Date() },
      });
      if (touched.count === 0) return 0; // redacted meanwhile
      const member = await tx.member.findUniqueOrThrow({ where: { id } });
      const after = await evaluateTier(
        tx,
        await shopConfig(job.shop, tx),
        member,
        now,
        `tiers changed by ${job.createdBy}`,
      );
      return after.tierId === member.tierId ? 0 : 1;
    });
  }
  const done = members.length < BATCH;
  // Conditional on the cursor we started from: if another run advanced the job meanwhile, its
  // progress wins and ours (already applied, each change once) is not counted twice. The queue
  // runs one job per re-evaluation at a time, so the counts stay exact outside such overlaps.
  await prisma.tierReevaluation.updateMany({
    where: { id: job.id, status: "RUNNING", cursor: job.cursor },
    data: {
      processed: { increment: members.length },
      changed: { increment: changed },
      cursor: members.at(-1)?.id ?? job.cursor,
      ...(done ? { status: "DONE", finishedAt: new Date() } : {}),
    },
  });
}
