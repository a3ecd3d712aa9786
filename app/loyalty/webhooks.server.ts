import { randomUUID } from "node:crypto";
import type { FailureReason } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { isTransientDatabaseError, isUniqueViolation } from "../db/errors";
import prisma, { sqlTime } from "../db.server";
import { parseShopifyJson } from "../domain/json";
import { errorFields, log } from "../log.server";
import { validateWebhook } from "../shopify.server";
import { readBoundedBody, WEBHOOK_BODY_LIMIT } from "./body.server";
import type { Db } from "./program.server";

/**
 * One pipeline for every webhook. Every correctly signed body is acknowledged and recorded; none
 * is retried forever:
 *  1. the body is read within WEBHOOK_BODY_LIMIT (413 past it, before anything else is read);
 *  2. the library checks the HMAC (401) and the required headers (400);
 *  3. the delivery is stored, body and all, as a QUEUED WebhookDelivery row, and answered: one
 *     INSERT, so a flash sale is acknowledged at the speed of the database, well inside Shopify's
 *     5 s. A delivery id already stored is a redelivery and is acknowledged without effect. The
 *     worker applies the queue (app/loyalty/webhook-inbox.server.ts) through steps 4 and 5;
 *     WEBHOOK_PROCESSING=inline runs them inside the request instead (the tests' default);
 *  4. a body that is not JSON, or not a valid payload (unknown currency, absurd amount…), becomes
 *     a FailedEvent: trying it again would never work;
 *  5. the effect and the delivery's final status commit in one transaction: a crash leaves the
 *     delivery queued (or, inline, unanswered so Shopify retries). An effect that fails
 *     EFFECT_ATTEMPTS times for the same delivery is dead-lettered (a FailedEvent the merchant can
 *     replay once the cause is fixed). Natural keys inside the effect catch the same event under
 *     another delivery id, and a delivery applied twice after a worker crash.
 */

export const EFFECT_ATTEMPTS = 3;
/** Payloads kept for support are cut here (with a marker); Shopify's are far smaller. */
export const STORED_PAYLOAD_LIMIT = 256 * 1024;
export const TRUNCATION_MARKER = "\n…[truncated by the app: payload larger than 256 KB]";

export interface WebhookContext<T> {
  shop: string;
  /** In the library's form, e.g. "ORDERS_PAID". */
  topic: string;
  webhookId: string;
  /** X-Shopify-Event-Id: the same for every delivery of one event. */
  eventId: string | null;
  payload: T;
  now: Date;
}

export type Parse<T> = (payload: unknown, receivedAt: Date, topic: string) => T;

export interface WebhookHandler<T = unknown> {
  parse: Parse<T>;
  apply(db: Db, context: WebhookContext<T>): Promise<unknown>;
}

/** zod validation followed by conversion into engine values (which may reject amounts too). */
export function parseWith<S, T>(
  schema: { parse(value: unknown): S },
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

/** What is kept of a body: at most STORED_PAYLOAD_LIMIT characters, marked when cut. */
export function storedPayload(text: string) {
  const truncated = text.length > STORED_PAYLOAD_LIMIT;
  return {
    payload: truncated ? text.slice(0, STORED_PAYLOAD_LIMIT) + TRUNCATION_MARKER : text,
    truncated,
  };
}

/**
 * The customer a body is about, when it says: kept so a redaction can find the event. Only a
 * customers/* body is itself a customer; an order's own id is never one, guest or not.
 */
function customerOf(topic: string, body: unknown): string | null {
  if (!body || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  const customer = record.customer as Record<string, unknown> | null | undefined;
  // The library stores topics as CUSTOMERS_CREATE; the header says customers/create. A
  // customers/redact or data_request body names its customer under `customer`, like an order.
  const id = customer?.id ?? (/^customers[/_]/i.test(topic) ? record.id : undefined);
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  text: string;
  bytes: number;
}

/** A body we will never be able to apply as sent: stored, and its delivery marked done. */
async function rejectDelivery(
  delivery: Delivery,
  reason: FailureReason,
  error: unknown,
  body: unknown,
) {
  const message = describe(error);
  log.warn("webhook rejected", {
    shop: delivery.shop,
    topic: delivery.topic,
    webhookId: delivery.webhookId,
    reason,
    error: message,
  });
  const { payload, truncated } = storedPayload(delivery.text);
  try {
    await prisma.$transaction(async (tx) => {
      await markFailed(tx, delivery);
      // Upserted: an earlier attempt may have left a FAILING event (its effect threw; since
      // then a release made the body unreadable or dropped the topic). It is dead now.
      await tx.failedEvent.upsert({
        where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
        create: {
          shop: delivery.shop,
          topic: delivery.topic,
          webhookId: delivery.webhookId,
          eventId: delivery.eventId,
          reason,
          status: "DEAD",
          attempts: 1,
          payload,
          payloadBytes: delivery.bytes,
          truncated,
          customerId: customerOf(delivery.topic, body),
          error: message,
        },
        update: { reason, status: "DEAD", attempts: { increment: 1 }, error: message },
      });
    });
  } catch (recordError) {
    // The same delivery, in parallel: it is recorded already.
    if (!isUniqueViolation(recordError)) throw recordError;
  }
}

/**
 * A queued delivery still unsettled after the queue's retry window (webhook-inbox GIVE_UP_MS):
 * dead-lettered, its body kept for a replay.
 */
export async function abandonDelivery(delivery: Delivery) {
  await rejectDelivery(
    delivery,
    "EFFECT_FAILED",
    new Error("Not applied within 48 hours: the database was unavailable at every attempt."),
    null,
  );
}

/** What a delivery row keeps once it is done: no body, no claim. */
const SETTLED = { payload: null, eventId: null, runAfter: null, claimedUntil: null } as const;

/** The delivery is done without effect: its queued row, or a new row when it was never queued. */
async function markFailed(tx: Db, delivery: Omit<Delivery, "text" | "bytes">) {
  const key = { shop: delivery.shop, webhookId: delivery.webhookId };
  const { count } = await tx.webhookDelivery.updateMany({
    where: { ...key, status: "QUEUED" },
    data: { status: "FAILED", ...SETTLED },
  });
  if (count > 0) return;
  await tx.webhookDelivery.upsert({
    where: { shop_webhookId: key },
    create: { ...key, topic: delivery.topic, status: "FAILED" },
    update: {},
  });
}

/**
 * How far a delivery got. 200: done (applied, or recorded as failed for good); 503: the database
 * was unavailable (nothing counted); 500: the effect failed (`attempt` of EFFECT_ATTEMPTS) or its
 * failure could not be recorded. Inline, it is the answer to Shopify, which retries anything but
 * 200; queued, the worker tries again after a backoff.
 */
export interface Outcome {
  status: 200 | 500 | 503;
  attempt?: number;
}

/**
 * An effect that threw. Counted per delivery outside the (rolled back) transaction; after
 * EFFECT_ATTEMPTS the delivery is dead-lettered and acknowledged.
 */
async function effectFailed(delivery: Delivery, error: unknown, body: unknown): Promise<Outcome> {
  const context = { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId };
  // The database being busy or away says nothing about this delivery: no attempt is counted
  // (it could not be written anyway), it is tried again.
  if (isTransientDatabaseError(error)) {
    log.warn("webhook not applied: database unavailable; it will be retried", {
      ...context,
      ...errorFields(error),
    });
    return { status: 503 };
  }
  try {
    return await countFailedAttempt(delivery, error, body);
  } catch (recordError) {
    log.error("webhook failed and could not be recorded; it will be retried", {
      ...context,
      ...errorFields(error),
      recordError: describe(recordError),
    });
    return { status: 500 };
  }
}

async function countFailedAttempt(
  delivery: Delivery,
  error: unknown,
  body: unknown,
): Promise<Outcome> {
  const message = describe(error);
  const { payload, truncated } = storedPayload(delivery.text);
  const event = await prisma.failedEvent.upsert({
    where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
    create: {
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      reason: "EFFECT_FAILED",
      status: "FAILING",
      attempts: 1,
      payload,
      payloadBytes: delivery.bytes,
      truncated,
      customerId: customerOf(delivery.topic, body),
      error: message,
    },
    update: { attempts: { increment: 1 }, error: message },
  });
  const dead = event.attempts >= EFFECT_ATTEMPTS;
  log[dead ? "error" : "warn"](
    dead ? "webhook dead-lettered" : "webhook failed; it will be retried",
    {
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      attempt: event.attempts,
      ...errorFields(error),
    },
  );
  if (!dead) return { status: 500, attempt: event.attempts };
  await prisma.$transaction(async (tx) => {
    await tx.failedEvent.update({ where: { id: event.id }, data: { status: "DEAD" } });
    await markFailed(tx, delivery);
  });
  return { status: 200 };
}

/**
 * A queued delivery that is no longer QUEUED when its transaction starts: another worker took it
 * after this one's lease ran out, or a redaction settled it. Nothing is applied.
 */
class AlreadySettled extends Error {}

/** Applies a parsed delivery in one transaction with its delivery record. */
export async function applyDelivery<T>(
  handler: WebhookHandler<T>,
  delivery: Omit<Delivery, "text" | "bytes">,
  payload: T,
  now: Date,
  options: {
    /** More work for the same transaction (a replay marks its event replayed). */
    also?: (db: Db) => Promise<void>;
    /** From the queue: apply only while the row is still QUEUED (see AlreadySettled). */
    queued?: boolean;
  } = {},
): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      if (options.queued) {
        // SETTLED, in SQL: this and the cleanup below run for every delivery, and each model
        // query costs ~0.5 ms of Prisma's query compiler, SQL ~0.1 ms (issue #15).
        const count = await tx.$executeRaw`UPDATE "WebhookDelivery"
          SET "status" = 'PROCESSED', "payload" = NULL, "eventId" = NULL, "runAfter" = NULL,
            "claimedUntil" = NULL
          WHERE "shop" = ${delivery.shop} AND "webhookId" = ${delivery.webhookId}
            AND "status" = 'QUEUED'`;
        if (count === 0) throw new AlreadySettled();
      } else {
        await tx.webhookDelivery.upsert({
          where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
          create: {
            shop: delivery.shop,
            webhookId: delivery.webhookId,
            topic: delivery.topic,
            status: "PROCESSED",
          },
          // Only a replay of a dead-lettered delivery gets here with a row: it is done now.
          update: { status: "PROCESSED", ...SETTLED },
        });
      }
      await handler.apply(tx, { ...delivery, payload, now });
      // It worked this time: an earlier failed attempt needs no attention any more.
      await tx.$executeRaw`DELETE FROM "FailedEvent"
        WHERE "shop" = ${delivery.shop} AND "webhookId" = ${delivery.webhookId}
          AND "status" = 'FAILING'`;
      await options.also?.(tx);
    },
    { timeout: 4_000, maxWait: 4_000 },
  );
}

/** How deliveries are applied: by the worker from the queue, or inside the request. */
export function webhookProcessing(): "queue" | "inline" {
  // Validated at start with the rest of the environment (app/env.server.ts).
  return process.env.WEBHOOK_PROCESSING === "inline" ? "inline" : "queue";
}

export async function processWebhook<T>(
  request: Request,
  handler: WebhookHandler<T>,
): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const body = await readBoundedBody(request, WEBHOOK_BODY_LIMIT);
  if (body instanceof Response) return body;
  const check = await validateWebhook(body.text, request);
  if (!check.valid) {
    return new Response(null, { status: check.reason === "invalid_hmac" ? 401 : 400 });
  }
  const delivery: Delivery = {
    shop: check.domain,
    topic: check.topic,
    webhookId: check.webhookId,
    eventId: "eventId" in check && check.eventId ? check.eventId : null,
    text: body.text,
    bytes: body.bytes,
  };
  const now = new Date();
  if (webhookProcessing() === "queue") {
    return new Response(null, { status: await enqueueDelivery(delivery, now) });
  }
  const seen = await prisma.webhookDelivery.findUnique({
    where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
  });
  if (seen) return new Response(null, { status: 200 });
  const outcome = await settleDelivery(handler, delivery, now);
  return new Response(null, { status: outcome.status });
}

/**
 * Step 3: the delivery stored for the worker; a delivery id stored before is a redelivery. Raw
 * SQL because this is the one statement a flash sale multiplies: it skips Prisma's query
 * compiler (half the statement's cost, bench/), and ON CONFLICT makes a redelivery a no-op
 * instead of an error.
 */
async function enqueueDelivery(delivery: Delivery, now: Date): Promise<200 | 503> {
  try {
    await prisma.$executeRaw(Prisma.sql`INSERT INTO "WebhookDelivery"
      ("id", "shop", "webhookId", "topic", "status", "eventId", "payload", "payloadBytes",
       "receivedAt", "runAfter")
      VALUES (${randomUUID()}, ${delivery.shop}, ${delivery.webhookId}, ${delivery.topic},
       'QUEUED', ${delivery.eventId}, ${delivery.text}, ${delivery.bytes}, ${sqlTime(now)},
       ${sqlTime(now)})
      ON CONFLICT ("shop", "webhookId") DO NOTHING`);
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    log.warn("webhook not stored: database unavailable; Shopify will retry", {
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      ...errorFields(error),
    });
    return 503;
  }
  return 200;
}

/**
 * Steps 4 and 5 for one delivery, received at `now`: inside the request (inline) or by the
 * worker from the queue.
 */
export async function settleDelivery<T>(
  /** Null when no handler knows the topic any more (a release dropped it while it waited). */
  handler: WebhookHandler<T> | null,
  delivery: Delivery,
  now: Date,
  queued = false,
): Promise<Outcome> {
  if (!handler) {
    const error = new Error(`The app does not handle ${delivery.topic} webhooks.`);
    await rejectDelivery(delivery, "INVALID", error, null);
    return { status: 200 };
  }
  let json: unknown;
  try {
    json = parseShopifyJson(delivery.text);
  } catch (error) {
    await rejectDelivery(delivery, "UNPARSEABLE", error, null);
    return { status: 200 };
  }
  let payload: T;
  try {
    payload = handler.parse(json, now, delivery.topic);
  } catch (error) {
    await rejectDelivery(delivery, "INVALID", error, json);
    return { status: 200 };
  }

  for (let attempt = 1; ; attempt += 1) {
    try {
      await applyDelivery(handler, delivery, payload, now, { queued });
      return { status: 200 };
    } catch (error) {
      if (error instanceof AlreadySettled) return { status: 200 };
      if (!isUniqueViolation(error)) return effectFailed(delivery, error, json);
      // The same delivery in parallel committed first: done. The same event under another
      // delivery id committed first (a natural key collided): run again, and the effect finds
      // it applied — what a database that serialised the two would have done.
      const done = await prisma.webhookDelivery.findUnique({
        where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
        select: { status: true },
      });
      if (done && done.status !== "QUEUED") return { status: 200 };
      if (attempt >= 3) return { status: 500 };
    }
  }
}
