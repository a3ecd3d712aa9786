import type { TierReevaluation } from "@prisma/client";
import prisma from "../db.server";
import type { FieldErrors } from "../domain/forms";
import type { TierLadder } from "../domain/tier-ladder";
import { ladderAffectsQualification } from "../domain/tier-ladder";
import type { TierBasis } from "../domain/tiers";
import { evaluateTier } from "../loyalty/members.server";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

/**
 * Re-evaluating members after the ladder changes is a job record advanced in small batches:
 * the save action runs as much as fits in a couple of seconds (all of it for a small shop), and
 * the open page keeps advancing it while showing progress. If the merchant leaves, the hourly
 * tier review (POST /jobs/run) re-evaluates every member anyway, and the page offers to resume.
 */
const BATCH = 100;
const STEP_BUDGET_MS = 2_000;

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
  const job = await prisma.tierReevaluation.findFirst({
    where: { shop },
    orderBy: { createdAt: "desc" },
  });
  return {
    currency: program.currency,
    tierBasis: program.tierBasis as TierBasis,
    tierPeriod: program.tierPeriod,
    memberCount: await prisma.member.count({ where: { shop } }),
    tiers: tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      threshold: tier.threshold,
      multiplierPercent: tier.multiplierPercent,
      perks: tier.perks,
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
    // A running job nobody advanced for a minute was left by a closed page.
    stalled: job.status === "RUNNING" && Date.now() - job.updatedAt.getTime() > 60_000,
  };
}

export type SaveTiersResult =
  { ok: true; job: ReturnType<typeof jobView> | null } | { ok: false; errors: FieldErrors };

export async function saveTiers(
  shop: string,
  ladder: TierLadder,
  staff: string,
  options: { now?: Date; budgetMs?: number } = {},
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
    return tx.tierReevaluation.create({
      data: { shop, total: await tx.member.count({ where: { shop } }), createdBy: staff },
    });
  });

  if (!job) return { ok: true, job: null };
  return { ok: true, job: await advanceReevaluation(shop, job.id, options.budgetMs) };
}

/** Re-evaluates the next members of a job, for up to `budgetMs`. Safe to call concurrently. */
export async function advanceReevaluation(
  shop: string,
  jobId: string,
  budgetMs = STEP_BUDGET_MS,
  now = new Date(),
) {
  const started = Date.now();
  let job = await prisma.tierReevaluation.findFirst({ where: { id: jobId, shop } });
  if (!job) notFound("Re-evaluation not found");
  while (job.status === "RUNNING") {
    const program = await loadProgram(shop);
    const members = await prisma.member.findMany({
      where: { shop, ...(job.cursor ? { id: { gt: job.cursor } } : {}) },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    let changed = 0;
    for (const member of members) {
      const after = await prisma.$transaction((tx) =>
        evaluateTier(tx, program, member, now, `tiers changed by ${job!.createdBy}`),
      );
      if (after.tierId !== member.tierId) changed += 1;
    }
    const done = members.length < BATCH;
    // Conditional on the cursor we started from: if another request advanced the job meanwhile,
    // its progress wins and ours (already applied, idempotently) is not counted twice.
    const { count } = await prisma.tierReevaluation.updateMany({
      where: { id: job.id, status: "RUNNING", cursor: job.cursor },
      data: {
        processed: { increment: members.length },
        changed: { increment: changed },
        cursor: members.at(-1)?.id ?? job.cursor,
        ...(done ? { status: "DONE", finishedAt: new Date() } : {}),
      },
    });
    job = await prisma.tierReevaluation.findUniqueOrThrow({ where: { id: job.id } });
    if (count === 0 || Date.now() - started > budgetMs) break;
  }
  return jobView(job);
}
