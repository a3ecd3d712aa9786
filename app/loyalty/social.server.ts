import type { PrismaClient } from "@prisma/client";
import { contributionsFor, totalPoints } from "../domain/earning-rules";
import type { SocialNetwork } from "../domain/social";
import { followKey, parseSocialFollows, socialNetwork } from "../domain/social";
import { postEntry } from "./ledger.server";
import { evaluateTier, lockedMemberFor, retryingNewMember } from "./members.server";
import type { Db } from "./program.server";
import { earningRules } from "./program.server";
import { shopConfig } from "./shop-config.server";

/**
 * Social follows (rules in app/domain/social.ts): the widget reports that the shopper opened the
 * shop's page on a network; the first report per member and network earns the program's points
 * (ledger key follow:<member>:<network>), later ones nothing.
 */

export type FollowResult =
  { ok: true; points: number; balance: number } | { ok: false; error: "UNKNOWN_NETWORK" };

export async function followNetwork(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  network: string,
  now = new Date(),
): Promise<FollowResult> {
  return retryingNewMember(() => followOnce(prisma, shop, customerId, network, now));
}

function followOnce(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  network: string,
  now: Date,
): Promise<FollowResult> {
  return prisma.$transaction(async (tx): Promise<FollowResult> => {
    const rules = await shopConfig(shop, tx);
    const { program } = rules;
    const follow = parseSocialFollows(program.socialFollows).find((f) => f.network === network);
    if (!program.enabled || !follow) return { ok: false, error: "UNKNOWN_NETWORK" };
    let member = await lockedMemberFor(tx, shop, customerId, now);
    const key = followKey(member.id, follow.network);
    const done = await tx.ledgerEntry.findUnique({
      where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
      select: { id: true },
    });
    member = await tx.member.findUniqueOrThrow({ where: { id: member.id } });
    if (done) return { ok: true, points: 0, balance: member.balance };
    const contributions = contributionsFor(earningRules(program, null), {
      type: "SOCIAL_FOLLOW",
      network: follow.network,
    });
    const points = totalPoints(contributions);
    member = await postEntry(
      tx,
      program,
      member,
      {
        kind: "EARN",
        points,
        source: "SOCIAL",
        sourceId: follow.network,
        idempotencyKey: key,
        rule: { contributions, verified: false },
        text: { key: "follow", network: socialNetwork(follow.network)!.label },
        occurredAt: now,
      },
      now,
    );
    member = await evaluateTier(tx, rules, member, now, `followed on ${follow.network}`);
    return { ok: true, points, balance: member.balance };
  });
}

/** The widget's follow links, each saying whether this member already earned it. */
export async function followsOf(
  db: Db,
  program: { shop: string; socialFollows: unknown },
  memberId: string | null,
) {
  const follows = parseSocialFollows(program.socialFollows);
  if (!follows.length) return [];
  const done = memberId
    ? new Set(
        (
          await db.ledgerEntry.findMany({
            where: {
              shop: program.shop,
              idempotencyKey: { in: follows.map((f) => followKey(memberId, f.network)) },
            },
            select: { sourceId: true },
          })
        ).map((e) => e.sourceId),
      )
    : new Set<string | null>();
  return follows.map((f) => ({
    network: f.network as SocialNetwork,
    label: socialNetwork(f.network)!.label,
    url: f.url,
    points: f.points,
    done: done.has(f.network),
  }));
}
