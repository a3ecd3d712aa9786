import { Prisma } from "@prisma/client";
import prisma from "../../app/db.server";
import { DERIVED_MODELS } from "../../app/db/models";

/**
 * Every model that stores a `shop` column, read from the generated client's own model list: a
 * table added later is reset (and checked by the redaction tests) without anyone remembering it.
 */
export const SHOP_MODELS: string[] = Prisma.dmmf.datamodel.models
  .filter((model) => model.fields.some((field) => field.name === "shop"))
  .map((model) => model.name);

type Delegate = { deleteMany(args: { where: { shop: string } }): Promise<unknown> };

export function delegateOf(model: string): Delegate {
  const key = model.charAt(0).toLowerCase() + model.slice(1);
  return (prisma as unknown as Record<string, Delegate>)[key]!;
}

function isForeignKeyViolation(error: unknown) {
  return (error as { code?: string } | null)?.code === "P2003";
}

/**
 * Deletes the shop's rows from every model (sessions stay unless asked). The runtime model list
 * does not say which side of a relation holds the key, so rows a foreign key still protects are
 * retried after the others are gone.
 */
export async function resetShopData(shop: string, options: { keepSessions?: boolean } = {}) {
  let pending = SHOP_MODELS.filter((m) => !(options.keepSessions !== false && m === "Session"));
  while (pending.length) {
    const blocked: string[] = [];
    for (const model of pending) {
      try {
        await delegateOf(model).deleteMany({ where: { shop } });
      } catch (error) {
        if (!isForeignKeyViolation(error)) throw error;
        blocked.push(model);
      }
    }
    if (blocked.length === pending.length) {
      throw new Error(`cannot reset ${blocked.join(", ")}: foreign keys from other shops' rows?`);
    }
    pending = blocked;
  }
  // Entries deleted after these tables were emptied (a member's cascade) left deltas behind.
  for (const model of DERIVED_MODELS) await delegateOf(model).deleteMany({ where: { shop } });
}
