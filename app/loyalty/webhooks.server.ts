import { isUniqueViolation } from "../db/errors";
import type { ZodType } from "zod";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import type { Db } from "./program.server";

/**
 * One pipeline for every loyalty webhook:
 *  1. the library checks the HMAC (401) and headers (400) before anything is read or written;
 *  2. a delivery id we have already processed is acknowledged and ignored;
 *  3. a payload that fails validation is stored as a FailedEvent and acknowledged, so Shopify
 *     does not retry it for hours and support can see it;
 *  4. the effect and the delivery record commit in one transaction: a crash leaves nothing, and
 *     Shopify's retry applies it. Natural keys inside the effect catch the same event arriving
 *     under a different delivery id.
 */

export interface WebhookContext<T> {
  shop: string;
  topic: string;
  webhookId: string;
  payload: T;
  now: Date;
}

/** `topic` is in the library's form, e.g. "ORDERS_PAID". */
export type Parse<T> = (payload: unknown, receivedAt: Date, topic: string) => T;

/** zod validation followed by conversion into engine values (which may reject amounts too). */
export function parseWith<S, T>(
  schema: ZodType<S>,
  convert: (value: S, receivedAt: Date) => T,
): Parse<T> {
  return (payload, receivedAt) => convert(schema.parse(payload), receivedAt);
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "issues" in error && Array.isArray(error.issues)) {
    return error.issues
      .map(
        (issue: { path: PropertyKey[]; message: string }) =>
          `${issue.path.join(".") || "payload"}: ${issue.message}`,
      )
      .join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

export async function processWebhook<T>(
  request: Request,
  parse: Parse<T>,
  apply: (db: Db, context: WebhookContext<T>) => Promise<unknown>,
): Promise<Response> {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  const now = new Date();

  const seen = await prisma.webhookDelivery.findUnique({
    where: { shop_webhookId: { shop, webhookId } },
  });
  if (seen) return new Response(null, { status: 200 });

  let parsed: T;
  try {
    parsed = parse(payload, now, topic);
  } catch (error) {
    const message = describe(error);
    console.warn(`webhook ${topic} ${webhookId} for ${shop} rejected: ${message}`);
    try {
      await prisma.$transaction([
        prisma.webhookDelivery.create({ data: { shop, webhookId, topic, status: "FAILED" } }),
        prisma.failedEvent.create({
          data: {
            shop,
            topic,
            webhookId,
            payload: JSON.stringify(payload ?? null),
            error: message,
          },
        }),
      ]);
    } catch (recordError) {
      if (!isUniqueViolation(recordError)) throw recordError;
    }
    return new Response(null, { status: 200 });
  }

  try {
    await prisma.$transaction(
      async (tx) => {
        await tx.webhookDelivery.create({ data: { shop, webhookId, topic, status: "PROCESSED" } });
        await apply(tx, { shop, topic, webhookId, payload: parsed, now });
      },
      { timeout: 4_000, maxWait: 4_000 },
    );
  } catch (error) {
    // A parallel delivery of the same event got there first; its effect is already committed.
    if (isUniqueViolation(error)) return new Response(null, { status: 200 });
    console.error(`webhook ${topic} ${webhookId} for ${shop} failed; Shopify will retry`, error);
    return new Response(null, { status: 500 });
  }
  return new Response(null, { status: 200 });
}
