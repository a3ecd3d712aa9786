import type { FailureReason } from "@prisma/client";
import { isTransientDatabaseError, isUniqueViolation } from "../db/errors";
import prisma from "../db.server";
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
 *  3. a delivery id already processed is acknowledged and ignored;
 *  4. a body that is not JSON, or not a valid payload (unknown currency, absurd amount…), becomes
 *     a FailedEvent and is acknowledged: Shopify would resend the same body for 48 hours;
 *  5. the effect and the delivery record commit in one transaction: a crash leaves nothing, and
 *     Shopify's retry applies it. An effect that fails EFFECT_ATTEMPTS times for the same delivery
 *     is dead-lettered (a FailedEvent the merchant can replay once the cause is fixed) and
 *     acknowledged. Natural keys inside the effect catch the same event under another delivery id.
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

interface Delivery {
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
    await prisma.$transaction([
      prisma.webhookDelivery.create({
        data: {
          shop: delivery.shop,
          webhookId: delivery.webhookId,
          topic: delivery.topic,
          status: "FAILED",
        },
      }),
      prisma.failedEvent.create({
        data: {
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
      }),
    ]);
  } catch (recordError) {
    // The same delivery, in parallel: it is recorded already.
    if (!isUniqueViolation(recordError)) throw recordError;
  }
}

/**
 * An effect that threw. Counted per delivery outside the (rolled back) transaction; after
 * EFFECT_ATTEMPTS the delivery is dead-lettered and acknowledged. Returns the status to answer.
 */
async function effectFailed(delivery: Delivery, error: unknown, body: unknown): Promise<number> {
  const context = { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId };
  // The database being busy or away says nothing about this delivery: no attempt is counted
  // (it could not be written anyway), Shopify just retries.
  if (isTransientDatabaseError(error)) {
    log.warn("webhook not applied: database unavailable; Shopify will retry", {
      ...context,
      ...errorFields(error),
    });
    return 503;
  }
  try {
    return await countFailedAttempt(delivery, error, body);
  } catch (recordError) {
    log.error("webhook failed and could not be recorded; Shopify will retry", {
      ...context,
      ...errorFields(error),
      recordError: describe(recordError),
    });
    return 500;
  }
}

async function countFailedAttempt(
  delivery: Delivery,
  error: unknown,
  body: unknown,
): Promise<number> {
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
    dead ? "webhook dead-lettered" : "webhook failed; Shopify will retry",
    {
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      attempt: event.attempts,
      ...errorFields(error),
    },
  );
  if (!dead) return 500;
  await prisma.$transaction([
    prisma.failedEvent.update({ where: { id: event.id }, data: { status: "DEAD" } }),
    prisma.webhookDelivery.upsert({
      where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
      create: {
        shop: delivery.shop,
        webhookId: delivery.webhookId,
        topic: delivery.topic,
        status: "FAILED",
      },
      update: {},
    }),
  ]);
  return 200;
}

/** Applies a parsed delivery in one transaction with its delivery record. */
export async function applyDelivery<T>(
  handler: WebhookHandler<T>,
  delivery: Omit<Delivery, "text" | "bytes">,
  payload: T,
  now: Date,
  /** More work for the same transaction (a replay marks its event replayed). */
  also?: (db: Db) => Promise<void>,
) {
  await prisma.$transaction(
    async (tx) => {
      await tx.webhookDelivery.upsert({
        where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
        create: {
          shop: delivery.shop,
          webhookId: delivery.webhookId,
          topic: delivery.topic,
          status: "PROCESSED",
        },
        // Only a replay of a dead-lettered delivery gets here with a row: it is done now.
        update: { status: "PROCESSED" },
      });
      await handler.apply(tx, { ...delivery, payload, now });
      // It worked this time: an earlier failed attempt needs no attention any more.
      await tx.failedEvent.deleteMany({
        where: { shop: delivery.shop, webhookId: delivery.webhookId, status: "FAILING" },
      });
      await also?.(tx);
    },
    { timeout: 4_000, maxWait: 4_000 },
  );
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

  const seen = await prisma.webhookDelivery.findUnique({
    where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
  });
  if (seen) return new Response(null, { status: 200 });

  let json: unknown;
  try {
    json = parseShopifyJson(body.text);
  } catch (error) {
    await rejectDelivery(delivery, "UNPARSEABLE", error, null);
    return new Response(null, { status: 200 });
  }
  let payload: T;
  try {
    payload = handler.parse(json, now, delivery.topic);
  } catch (error) {
    await rejectDelivery(delivery, "INVALID", error, json);
    return new Response(null, { status: 200 });
  }

  for (let attempt = 1; ; attempt += 1) {
    try {
      await applyDelivery(handler, delivery, payload, now);
      break;
    } catch (error) {
      if (!isUniqueViolation(error)) {
        return new Response(null, { status: await effectFailed(delivery, error, json) });
      }
      // The same delivery in parallel committed first: done. The same event under another
      // delivery id committed first (a natural key collided): run again, and the effect finds
      // it applied — what a database that serialised the two would have done.
      const done = await prisma.webhookDelivery.findUnique({
        where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
      });
      if (done) return new Response(null, { status: 200 });
      if (attempt >= 3) return new Response(null, { status: 500 });
    }
  }
  return new Response(null, { status: 200 });
}
