import { Prisma } from "@prisma/client";
import { isUniqueViolation } from "../db/errors";
import prisma, { databaseProvider } from "../db.server";
import { LEDGER_KIND_LABELS, orderOutcome } from "../domain/explain";
import type { Adjustment, MembersQuery } from "../domain/members-query";
import {
  MEMBERS_COUNT_CAP,
  MEMBERS_PAGE_SIZE,
  memberDisplayName,
  overdrawnMessage,
  searchTerms,
  sortParts,
} from "../domain/members-query";
import { formatMoney } from "../domain/money";
import { InsufficientPointsError, postEntry } from "../loyalty/ledger.server";
import { nextRelease, tierProgress } from "../loyalty/members.server";
import { programFor, tierBasis } from "../loyalty/program.server";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

/**
 * The member a search names exactly (a customer id, a whole email address), found through the
 * unique (shop, customerId) or the (shop, email) index; null when the search is words.
 */
async function exactMember(shop: string, q: string) {
  const { customerId, email } = searchTerms(q);
  if (customerId) {
    return prisma.member.findUnique({
      where: { shop_customerId: { shop, customerId } },
      select: { id: true },
    });
  }
  if (email) {
    // Shopify keeps addresses in lower case; a pasted one may not be.
    return prisma.member.findFirst({
      where: { shop, email: { in: [...new Set([email, email.toLowerCase()])] } },
      select: { id: true },
    });
  }
  return null;
}

/** A trigram index finds words of this many characters or more; shorter ones are matched by a scan. */
const TRIGRAM = 3;

/** The members list's filter when the search is not words: an exact member, a tier, or none. */
function membersWhere(
  shop: string,
  query: Pick<MembersQuery, "q" | "tier">,
  exact: { id: string } | null,
) {
  const and: Prisma.MemberWhereInput[] = [];
  if (exact) and.push({ id: exact.id });
  // A customer GID names no member here; its words would match nothing useful.
  else if (query.q) and.push({ customerId: searchTerms(query.q).customerId ?? "" });
  if (query.tier === "none") and.push({ tierId: null });
  else if (query.tier) and.push({ tierId: query.tier });
  return { shop, ...(and.length ? { AND: and } : {}) } satisfies Prisma.MemberWhereInput;
}

function orderBy(sort: MembersQuery["sort"]): Prisma.MemberOrderByWithRelationInput[] {
  const [field, direction] = sortParts(sort);
  return field === "balance"
    ? [{ balance: direction }, { id: direction }]
    : [{ joinedAt: direction }, { id: direction }];
}

/** An FTS5 query: every word, as a phrase (any substring, any case), in the member's text. */
function ftsQuery(words: string[]) {
  return words.map((word) => `text : "${word.replaceAll('"', '""')}"`).join(" AND ");
}

/**
 * `word` anywhere in the email, first or last name, as SQL on `m`: ILIKE on PostgreSQL (its trigram
 * indexes serve it), LIKE on SQLite for words too short for the FTS5 table (case-insensitive for
 * ASCII, as the search was). `%`, `_` and `\` match themselves.
 */
function containsWord(word: string) {
  const pattern = `%${word.replace(/[\\%_]/g, "\\$&")}%`;
  const like = Prisma.raw(databaseProvider === "postgresql" ? "ILIKE" : "LIKE");
  return Prisma.sql`(m."email" ${like} ${pattern} ESCAPE '\\' OR m."firstName" ${like} ${pattern} ESCAPE '\\' OR m."lastName" ${like} ${pattern} ESCAPE '\\')`;
}

/**
 * The filter for members whose email, first or last name contain every word. The candidates come
 * from each database's trigram index (migration member_search): SQLite's FTS5 table, joined to
 * `Member` by primary key (CROSS JOIN fixes that order); PostgreSQL's GIN indexes, which serve
 * ILIKE.
 */
function matchingWords(shop: string, query: MembersQuery, words: string[]) {
  const sqlite = databaseProvider === "sqlite";
  const indexed = sqlite ? words.filter((word) => [...word].length >= TRIGRAM) : [];
  const scanned = sqlite ? words.filter((word) => [...word].length < TRIGRAM) : words;
  const conditions = [Prisma.sql`m."shop" = ${shop}`, ...tierCondition(query)];
  if (indexed.length) {
    conditions.push(
      Prisma.sql`s."MemberSearch" MATCH ${ftsQuery(indexed)}`,
      Prisma.sql`s."shop" = ${shop}`,
      Prisma.sql`m."id" = s."memberId"`,
    );
  }
  conditions.push(...scanned.map(containsWord));
  return {
    from: indexed.length
      ? Prisma.sql`"MemberSearch" s CROSS JOIN "Member" m`
      : Prisma.sql`"Member" m`,
    where: Prisma.join(conditions, " AND "),
  };
}

function tierCondition(query: Pick<MembersQuery, "tier">, alias: "m" | "w" = "m") {
  const a = Prisma.raw(alias);
  if (query.tier === "none") return [Prisma.sql`${a}."tierId" IS NULL`];
  if (query.tier) return [Prisma.sql`${a}."tierId" = ${query.tier}`];
  return [];
}

/**
 * Whether every member can be tested for the words one by one with LIKE as the index would find
 * them: SQLite's LIKE ignores case for ASCII letters only, its FTS5 table for all of Unicode.
 * PostgreSQL's ILIKE is what its index serves anyway.
 */
function testableOneByOne(words: string[]) {
  return (
    databaseProvider === "postgresql" ||
    words.every((word) => [...word].every((c) => c.charCodeAt(0) < 0x80))
  );
}

/**
 * Members whose email, first or last name contain every word, and how many: up to
 * MEMBERS_COUNT_CAP, as counting all of 200,000 matches cost 0.5–1 s at 1M members.
 *
 * Few matches (a name, part of an address): the index names them, and they are materialized
 * before they are sorted. Given ORDER BY … LIMIT, both planners would rather walk the shop's sort
 * index and test every member, which for a rare word means most of the shop (measured at 1M
 * members: 1.2–5.2 s on PostgreSQL for words a few hundred members match). Pages move by offset.
 *
 * Many matches (a common first name, an email domain): sorting all of them is what cost the time,
 * so the shop's sort index is walked from the page's cursor, testing each member (walkMatches).
 * Should the matches lie beyond its window, they are gathered and sorted after all.
 */
async function wordSearch(
  shop: string,
  query: MembersQuery,
  words: string[],
): Promise<MembersPage> {
  const size = MEMBERS_PAGE_SIZE;
  const { from, where } = matchingWords(shop, query, words);
  const [counted] = await countUpTo(
    // Fragments compose inside Prisma.sql; the tagged $queryRaw would send them as parameters.
    Prisma.sql`SELECT count(*) AS total FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${MEMBERS_COUNT_CAP + 1}) AS capped`,
  );
  const found = Number(counted?.total ?? 0);
  const total = Math.min(found, MEMBERS_COUNT_CAP);
  const capped = found > MEMBERS_COUNT_CAP;
  const cursor = query.after ? "after" : query.before ? "before" : null;
  const ids = capped && testableOneByOne(words) && (await walkMatches(shop, query, words, cursor));
  if (ids) {
    if (cursor && !ids.length) {
      // As when browsing: the cursor member is gone, another shop's, or at the very end.
      const first = { ...query, page: 1, after: null, before: null };
      return { ...(await wordSearch(shop, first, words)), query: first };
    }
    const rows = await membersById(ids.slice(0, size));
    if (cursor === "before") {
      return {
        total,
        capped,
        rows: rows.reverse(),
        hasPrevious: ids.length > size,
        hasNext: true,
        query,
      };
    }
    return {
      total,
      capped,
      rows,
      hasPrevious: cursor === "after" || query.page > 1,
      hasNext: ids.length > size,
      query,
    };
  }
  const [field, direction] = sortParts(query.sort);
  const column = Prisma.raw(field === "balance" ? `c."balance"` : `c."joinedAt"`);
  const order = Prisma.raw(direction === "asc" ? "ASC" : "DESC");
  const page = await prisma.$queryRaw<{ id: string }[]>(Prisma.sql`
    WITH c AS MATERIALIZED (SELECT m."id", m."balance", m."joinedAt" FROM ${from} WHERE ${where})
    SELECT c."id" FROM c ORDER BY ${column} ${order}, c."id" ${order}
    LIMIT ${size + 1} OFFSET ${(query.page - 1) * size}`);
  const rows = await membersById(page.map((row) => row.id));
  return {
    total,
    capped,
    rows: rows.slice(0, size),
    hasPrevious: query.page > 1,
    hasNext: rows.length > size,
    query,
  };
}

/**
 * Runs a capped count. Given its LIMIT, PostgreSQL would read the table in order, testing each row
 * with ILIKE until 1,001 match (92 ms for a first name at 1M members); its trigram indexes find
 * them in 17–34 ms, so for this statement a sequential scan is ruled out.
 */
async function countUpTo(sql: Prisma.Sql) {
  if (databaseProvider !== "postgresql") {
    return prisma.$queryRaw<{ total: number | bigint }[]>(sql);
  }
  const [, rows] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL enable_seqscan = off`,
    prisma.$queryRaw<{ total: number | bigint }[]>(sql),
  ]);
  return rows;
}

/**
 * How many members a search walks past, from the cursor, before it gathers and sorts its matches
 * instead. Matches spread through the list fill a page within it when there are more than
 * 2,550 in 1M members (one in 400); fewer are quick to sort anyway. Matches bunched at the far end
 * of the order are not found within it.
 */
const WALK_WINDOW = 20_000;

/**
 * Up to a page and one of the members matching every word, in the list's order, after (or, read
 * backwards, before) the cursor member; from the page's offset without one. The walk goes down
 * the shop's sort index as readFrom does, the bounds standing outside the OR so that the index
 * serves them as a range, and stops at the end of the window. Null when the window ends before a
 * page and one is found, but the list goes on.
 */
async function walkMatches(
  shop: string,
  query: MembersQuery,
  words: string[],
  cursor: "after" | "before" | null,
): Promise<string[] | null> {
  const { walk, range } = walkQuery(shop, query, words, cursor);
  const rows = await prisma.$queryRaw<{ id: string }[]>(walk);
  if (rows.length <= MEMBERS_PAGE_SIZE) {
    const [beyond] = await prisma.$queryRaw<{ n: number | bigint }[]>(Prisma.sql`
      SELECT count(*) AS n FROM (SELECT 1 FROM "Member" w WHERE ${range} LIMIT ${WALK_WINDOW + 1}) t`);
    if (Number(beyond?.n ?? 0) > WALK_WINDOW) return null;
  }
  return rows.map((row) => row.id);
}

/**
 * walkMatches's SQL (exported for test/foundation/query-plans.test.ts): the walk, and the members
 * from the cursor on, words aside, as conditions on `w`.
 */
export function walkQuery(
  shop: string,
  query: MembersQuery,
  words: string[],
  cursor: "after" | "before" | null,
) {
  const [field, direction] = sortParts(query.sort);
  const column = Prisma.raw(field === "balance" ? `"balance"` : `"joinedAt"`);
  // Walking forwards in a descending list, or backwards in an ascending one, goes down.
  const down = (direction === "desc") === (cursor !== "before");
  const order = Prisma.raw(down ? "DESC" : "ASC");
  const range = (alias: "m" | "w") => {
    const a = Prisma.raw(alias);
    const conditions = [Prisma.sql`${a}."shop" = ${shop}`, ...tierCondition(query, alias)];
    if (cursor) {
      const id = (cursor === "after" ? query.after : query.before)!;
      const at = Prisma.sql`(SELECT c.${column} FROM "Member" c WHERE c."id" = ${id} AND c."shop" = ${shop})`;
      const [bound, strict] = (down ? ["<=", "<"] : [">=", ">"]).map((op) => Prisma.raw(op));
      conditions.push(
        Prisma.sql`${a}.${column} ${bound} ${at}`,
        Prisma.sql`(${a}.${column} ${strict} ${at} OR ${a}."id" ${strict} ${id})`,
      );
    }
    return Prisma.join(conditions, " AND ");
  };
  // The window's last value of the sort column, from the index alone: the walk's other bound.
  const windowEnd = Prisma.sql`(SELECT ${Prisma.raw(down ? "min" : "max")}(t.${column}) FROM (
      SELECT w.${column} FROM "Member" w WHERE ${range("w")}
      ORDER BY w.${column} ${order}, w."id" ${order} LIMIT ${WALK_WINDOW}) t)`;
  const walk = Prisma.sql`
    SELECT m."id" FROM "Member" m
    WHERE ${range("m")} AND m.${column} ${Prisma.raw(down ? ">=" : "<=")} ${windowEnd}
      AND ${Prisma.join(words.map(containsWord), " AND ")}
    ORDER BY m.${column} ${order}, m."id" ${order}
    LIMIT ${MEMBERS_PAGE_SIZE + 1} OFFSET ${cursor ? 0 : (query.page - 1) * MEMBERS_PAGE_SIZE}`;
  return { walk, range: range("w") };
}

/** Members with their tier's name, in the order of `ids`. */
async function membersById(ids: string[]) {
  const rows = await prisma.member.findMany({
    where: { id: { in: ids } },
    include: { tier: { select: { name: true } } },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * How many members a shop has, or has in a tier ("none": in no tier), from MemberTally and the
 * changes not folded into it yet, which triggers on Member keep: counting 1M members cost 130 ms
 * on every page (docs/decisions/0009-dashboard-rollups.md).
 */
export async function memberTotal(shop: string, tier: string | null = null): Promise<number> {
  const inTier =
    tier === null ? Prisma.empty : Prisma.sql`AND "tierKey" = ${tier === "none" ? "" : tier}`;
  const [row] = await prisma.$queryRaw<{ total: unknown }[]>(Prisma.sql`
    SELECT COALESCE(SUM(n), 0) AS total FROM (
      SELECT "members" AS n FROM "MemberTally" WHERE "shop" = ${shop} ${inTier}
      UNION ALL
      SELECT "members" FROM "MemberTallyDelta" WHERE "shop" = ${shop} ${inTier}
    ) tally`);
  return Number(row?.total ?? 0);
}

interface MembersPage {
  total: number;
  /** Whether more members than `total` match: a search stops counting at MEMBERS_COUNT_CAP. */
  capped: boolean;
  rows: Prisma.MemberGetPayload<{ include: { tier: { select: { name: true } } } }>[];
  hasPrevious: boolean;
  hasNext: boolean;
  /** The query answered: the one asked, or the first page when its cursor was gone. */
  query: MembersQuery;
}

/**
 * The page of members a query asks for, whether there are pages either side, and how many
 * members match in all. Browsing (no words) moves by cursor (readFrom) when the URL has one, and
 * so does a word search with many matches (walkMatches); one with few moves by offset.
 */
async function membersPage(shop: string, query: MembersQuery): Promise<MembersPage> {
  const size = MEMBERS_PAGE_SIZE;
  const offsetPage = (rows: MembersPage["rows"]) => ({
    rows: rows.slice(0, size),
    hasPrevious: query.page > 1,
    hasNext: rows.length > size,
  });
  const exact = query.q ? await exactMember(shop, query.q) : null;
  const { words } = searchTerms(query.q);
  if (!exact && words.length) return wordSearch(shop, query, words);
  const where = membersWhere(shop, query, exact);
  const cursor = query.after ? "after" : query.before ? "before" : null;
  const [total, found] = await Promise.all([
    query.q ? prisma.member.count({ where }) : memberTotal(shop, query.tier),
    cursor
      ? readFrom(shop, query, where, cursor)
      : prisma.member.findMany({
          where,
          orderBy: orderBy(query.sort),
          include: { tier: { select: { name: true } } },
          skip: (query.page - 1) * size,
          take: size + 1,
        }),
  ]);
  if (cursor && !found?.length) {
    // The cursor member is gone (deleted or redacted), another shop's, or at the very end: start
    // from the top.
    const first = { ...query, page: 1, after: null, before: null };
    return { ...(await membersPage(shop, first)), query: first };
  }
  if (cursor === "before") {
    // Read backwards from the cursor: an extra row means there is more before.
    return {
      total,
      capped: false,
      rows: found!.slice(0, size).reverse(),
      hasPrevious: found!.length > size,
      hasNext: true,
      query,
    };
  }
  if (cursor === "after") {
    // The cursor member itself comes before this page.
    return { total, capped: false, ...offsetPage(found!), hasPrevious: true, query };
  }
  return { total, capped: false, ...offsetPage(found!), query };
}

/**
 * The page after (or, read backwards, before) the cursor member in the list's order. The bound
 * on the sort column comes first so that the index serves it as a range: a page 1,000 deep costs
 * what the first does. Prisma's own `cursor` puts an OR around that bound, which no index serves.
 * Null when the cursor is no member of this shop.
 */
async function readFrom(
  shop: string,
  query: MembersQuery,
  where: Prisma.MemberWhereInput,
  cursor: "after" | "before",
) {
  const id = (cursor === "after" ? query.after : query.before)!;
  const at = await prisma.member.findFirst({
    where: { id, shop },
    select: { balance: true, joinedAt: true },
  });
  if (!at) return null;
  const [field, direction] = sortParts(query.sort);
  const column = field === "balance" ? "balance" : "joinedAt";
  const value = field === "balance" ? at.balance : at.joinedAt;
  // Walking forwards in a descending list, or backwards in an ascending one, goes down.
  const down = (direction === "desc") === (cursor === "after");
  return prisma.member.findMany({
    where: {
      AND: [
        where,
        { [column]: down ? { lte: value } : { gte: value } },
        {
          OR: [
            { [column]: down ? { lt: value } : { gt: value } },
            { id: down ? { lt: id } : { gt: id } },
          ],
        },
      ],
    },
    orderBy: [{ [column]: down ? "desc" : "asc" }, { id: down ? "desc" : "asc" }],
    include: { tier: { select: { name: true } } },
    take: MEMBERS_PAGE_SIZE + 1,
  });
}

export async function listMembers(shop: string, query: MembersQuery) {
  const program = await loadProgram(shop);
  const [page, tiers] = await Promise.all([
    membersPage(shop, query),
    prisma.tier.findMany({
      where: { shop },
      orderBy: { threshold: "asc" },
      select: { id: true, name: true },
    }),
  ]);
  return {
    query: page.query,
    total: page.total,
    totalCapped: page.capped,
    pointsName: { one: program.pointsNameOne, other: program.pointsNameOther },
    tiers,
    hasPrevious: page.hasPrevious,
    hasNext: page.hasNext,
    members: page.rows.map((member) => ({
      id: member.id,
      customerId: member.customerId,
      name: memberDisplayName(member),
      email: member.email,
      balance: member.balance,
      pendingPoints: member.pendingPoints,
      tier: member.tier?.name ?? null,
      joinedAt: member.joinedAt.toISOString(),
    })),
  };
}

const LEDGER_PAGE_SIZE = 50;

export async function findMember(shop: string, id: string) {
  const member = await prisma.member.findFirst({ where: { id, shop } });
  if (!member) notFound("Member not found");
  return member;
}

export async function memberDetail(shop: string, id: string, ledgerPage = 1, now = new Date()) {
  const member = await findMember(shop, id);
  const program = await loadProgram(shop);
  const [progress, entries, entryCount, redemptions, orders, tierChanges, release, grantedTier] =
    await Promise.all([
      tierProgress(prisma, program, member, now),
      prisma.ledgerEntry.findMany({
        where: { memberId: member.id },
        orderBy: { id: "desc" },
        skip: (ledgerPage - 1) * LEDGER_PAGE_SIZE,
        take: LEDGER_PAGE_SIZE,
      }),
      prisma.ledgerEntry.count({ where: { memberId: member.id } }),
      prisma.redemption.findMany({
        where: { shop, memberId: member.id },
        orderBy: { createdAt: "desc" },
        take: 50,
        include: { reward: { select: { name: true } } },
      }),
      prisma.orderRecord.findMany({
        where: { shop, customerId: member.customerId },
        orderBy: [{ paidAt: "desc" }, { createdAt: "desc" }],
        take: 50,
      }),
      prisma.tierChange.findMany({
        where: { memberId: member.id },
        orderBy: { createdAt: "desc" },
        take: 20,
      }),
      nextRelease(prisma, member, now),
      member.grantedTierId
        ? prisma.tier.findFirst({ where: { id: member.grantedTierId, shop } })
        : Promise.resolve(null),
    ]);
  const spend = tierBasis(program) === "AMOUNT_SPENT";
  const metricText = (value: number) => (spend ? formatMoney(value, program.currency) : `${value}`);

  return {
    pointsName: { one: program.pointsNameOne, other: program.pointsNameOther },
    allowNegativeBalance: program.allowNegativeBalance,
    member: {
      id: member.id,
      customerId: member.customerId,
      name: memberDisplayName(member),
      email: member.email,
      balance: member.balance,
      pendingPoints: member.pendingPoints,
      nextRelease: release && { at: release.at.toISOString(), points: release.points },
      lifetimeEarned: member.lifetimeEarned,
      joinedAt: member.joinedAt.toISOString(),
      lastActivityAt: member.lastActivityAt?.toISOString() ?? null,
      expiresAt: member.expiresAt?.toISOString() ?? null,
      grantedTier:
        grantedTier && (!member.grantedTierUntil || member.grantedTierUntil > now)
          ? {
              name: grantedTier.name,
              until: member.grantedTierUntil?.toISOString() ?? null,
              source: member.grantedTierSource,
            }
          : null,
    },
    tier: {
      name: progress.tier?.name ?? null,
      basis: tierBasis(program),
      metric: metricText(progress.metric),
      next: progress.next
        ? {
            name: progress.next.name,
            remaining: metricText(progress.next.remaining),
            progress:
              progress.metric + progress.next.remaining > 0
                ? Math.round((progress.metric / (progress.metric + progress.next.remaining)) * 100)
                : 0,
          }
        : null,
    },
    ledger: {
      page: ledgerPage,
      hasNext: ledgerPage * LEDGER_PAGE_SIZE < entryCount,
      total: entryCount,
      entries: entries.map((entry) => ({
        id: entry.id,
        occurredAt: entry.occurredAt.toISOString(),
        kind: entry.kind,
        label: LEDGER_KIND_LABELS[entry.kind] ?? entry.kind,
        description: entry.description,
        points: entry.points,
        pendingPoints: entry.pendingPoints,
        shortfall: entry.shortfall,
        balanceAfter: entry.balanceAfter,
        pendingAfter: entry.pendingAfter,
        orderId: entry.orderId,
        createdBy: entry.createdBy,
      })),
    },
    redemptions: redemptions.map((r) => ({
      id: r.id,
      reward: r.reward.name,
      code: r.code,
      status: r.status,
      pointsSpent: r.pointsSpent,
      createdAt: r.createdAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      usedOrderId: r.usedOrderId,
      pointsReturned: r.pointsReturned,
      cancelledAt: r.cancelledAt?.toISOString() ?? null,
    })),
    orders: orders.map((o) => ({
      orderId: o.orderId,
      name: o.name ?? `#${o.orderId}`,
      paidAt: o.paidAt?.toISOString() ?? null,
      outcome: orderOutcome(o),
      net: o.earnedPoints - o.clawedBackPoints,
    })),
    tierChanges: tierChanges.map((c) => ({
      id: c.id,
      at: c.createdAt.toISOString(),
      from: c.fromName,
      to: c.toName,
      reason: c.reason,
    })),
  };
}

export type AdjustResult =
  { ok: true; balance: number; duplicate: boolean } | { ok: false; errors: Record<string, string> };

/**
 * A staff adjustment is a MANUAL ledger entry with the reason and who made it. Without negative
 * balances a debit may not exceed the balance: refused outright (nothing is partially taken), and
 * the conditional update in postEntry keeps a concurrent redemption from slipping in between.
 */
export async function adjustPoints(
  shop: string,
  memberId: string,
  adjustment: Adjustment,
  staff: string,
  now = new Date(),
): Promise<AdjustResult> {
  await findMember(shop, memberId);
  const key = `manual:${memberId}:${adjustment.requestId ?? crypto.randomUUID()}`;
  const already = await prisma.ledgerEntry.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
  });
  if (already) return { ok: true, balance: already.balanceAfter, duplicate: true };
  try {
    return await prisma.$transaction(async (tx) => {
      const member = await tx.member.findFirstOrThrow({ where: { id: memberId, shop } });
      const program = await programFor(tx, shop);
      const floor = !program.allowNegativeBalance && adjustment.points < 0;
      const after = await postEntry(
        tx,
        program,
        member,
        {
          kind: "MANUAL",
          points: adjustment.points,
          source: "MANUAL",
          sourceId: staff,
          idempotencyKey: key,
          rule: { reason: adjustment.reason },
          description: adjustment.reason,
          occurredAt: now,
          createdBy: staff,
          requireBalance: floor,
        },
        now,
      );
      return { ok: true as const, balance: after.balance, duplicate: false };
    });
  } catch (error) {
    // The same form posted twice at once: the first one's entry is the adjustment.
    if (isUniqueViolation(error)) {
      const entry = await prisma.ledgerEntry.findUniqueOrThrow({
        where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
      });
      return { ok: true, balance: entry.balanceAfter, duplicate: true };
    }
    if (error instanceof InsufficientPointsError) {
      const member = await findMember(shop, memberId);
      return {
        ok: false,
        errors: {
          points: overdrawnMessage(member.balance, "points"),
        },
      };
    }
    throw error;
  }
}
