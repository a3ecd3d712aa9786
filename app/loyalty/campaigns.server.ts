import { Prisma } from "@prisma/client";
import { z } from "zod";
import { sqlTime } from "../db.server";
import type { Campaign } from "../domain/campaigns";
import { parseJsonOrNull } from "../domain/json";
import type { Db } from "./program.server";

/** A tier list that cannot be read opens the campaign to no one, never to every member. */
const UNREADABLE_TIERS = ["(unreadable tier list)"];
const tierIdsSchema = z.array(z.string()).catch(UNREADABLE_TIERS);
/**
 * Likewise a product list that cannot be read limits the campaign to no product, never widens it
 * to the whole order (a list standing for nothing, not an empty one, which means every line).
 */
const UNREADABLE_PRODUCTS = [{ id: "(unreadable product list)", title: "(unreadable)" }];
const pickedSchema = z
  .array(z.object({ id: z.string(), title: z.string() }))
  .nullable()
  .transform((list) => list ?? [])
  .catch(UNREADABLE_PRODUCTS);
const productIdsSchema = z
  .array(z.string())
  .nullable()
  .transform((list) => list ?? [])
  .catch([]);

interface CampaignRow {
  id: string;
  name: string;
  kind: string;
  multiplierPercent: number | bigint | null;
  bonusPoints: number | bigint | null;
  minimumSpend: string | null;
  /** JSON: an array on PostgreSQL (and through Prisma's model API), its text in SQLite SQL. */
  tierIds: unknown;
  products: unknown;
  collections: unknown;
  collectionProductIds: unknown;
  startsAt: Date | string;
  endsAt: Date | string;
  enabled: boolean | number | bigint;
}

/** SQLite's SQL hands JSON over as text; text that is not JSON reads as unreadable, never as null. */
const json = (value: unknown) =>
  typeof value === "string" ? (parseJsonOrNull(value) ?? undefined) : value;
const toNumber = (value: number | bigint | null) => (value === null ? null : Number(value));

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === "BONUS" ? "BONUS" : "MULTIPLIER",
    multiplierPercent: toNumber(row.multiplierPercent),
    bonusPoints: toNumber(row.bonusPoints),
    minimumSpend: row.minimumSpend,
    tierIds: tierIdsSchema.parse(json(row.tierIds)),
    products: pickedSchema.parse(json(row.products)),
    collections: pickedSchema.parse(json(row.collections)),
    collectionProductIds: productIdsSchema.parse(json(row.collectionProductIds)),
    startsAt: new Date(row.startsAt),
    endsAt: new Date(row.endsAt),
    enabled: Boolean(row.enabled),
  };
}

/**
 * The shop's campaigns running at `at`, for an order paid before the per-process copy of the
 * shop's settings keeps them (ShopConfig.campaignsSince). In SQL, as the order's other reads
 * (Prisma's model API compiles each query, ~0.5 ms; issue #15).
 */
export async function campaignsRunningAt(db: Db, shop: string, at: Date): Promise<Campaign[]> {
  // Built with Prisma.sql, as sqlTime's fragment must be nested in the same Sql class.
  const rows = await db.$queryRaw<CampaignRow[]>(Prisma.sql`
    SELECT "id", "name", CAST("kind" AS TEXT) AS "kind", "multiplierPercent", "bonusPoints",
      "minimumSpend", "tierIds", "products", "collections", "collectionProductIds", "startsAt",
      "endsAt", "enabled"
    FROM "Campaign"
    WHERE "shop" = ${shop} AND "endsAt" > ${sqlTime(at)} AND "startsAt" <= ${sqlTime(at)}
      AND "enabled" = ${true}`);
  return rows.map(toCampaign);
}
