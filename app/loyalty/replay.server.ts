import prisma from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { parseShopifyJson } from "../domain/json";
import { log } from "../log.server";
import { handlerForTopic } from "./webhook-topics.server";
import { applyDelivery } from "./webhooks.server";

export type ReplayResult = { ok: true } | { ok: false; error: string };

function message(error: unknown) {
  if (error && typeof error === "object" && "issues" in error && Array.isArray(error.issues)) {
    return (error.issues as { path: PropertyKey[]; message: string }[])
      .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`)
      .join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a stored webhook body through its topic's handler again, once the cause of its failure is
 * fixed (a deploy, a setting). Same rules as a live delivery: one transaction with its delivery
 * record, natural keys against doing anything twice, and the event is marked replayed in that
 * transaction, so two clicks replay it once.
 */
export async function replayFailedEvent(
  event: {
    id: string;
    shop: string;
    topic: string;
    webhookId: string | null;
    eventId: string | null;
    payload: string;
    truncated: boolean;
    status: string;
    createdAt: Date;
  },
  staff: string,
  now = new Date(),
): Promise<ReplayResult> {
  if (event.status === "REPLAYED") return { ok: false, error: "This event was replayed already." };
  if (event.status === "FAILING") {
    return { ok: false, error: "This webhook is still being retried; wait for its retries." };
  }
  if (event.truncated) {
    return {
      ok: false,
      error:
        "The payload was larger than 256 KB and was not kept whole, so it cannot be replayed. Ask Shopify support to resend the webhook.",
    };
  }
  const handler = handlerForTopic(event.topic);
  if (!handler) return { ok: false, error: `The app does not handle ${event.topic} webhooks.` };

  let payload: unknown;
  try {
    payload = handler.parse(parseShopifyJson(event.payload), event.createdAt, event.topic);
  } catch (error) {
    const reason = message(error);
    await prisma.failedEvent.update({ where: { id: event.id }, data: { error: reason } });
    return { ok: false, error: `Still not a payload the app can use: ${reason}` };
  }
  try {
    await applyDelivery(
      handler,
      {
        shop: event.shop,
        topic: event.topic,
        webhookId: event.webhookId ?? `replay:${event.id}`,
        eventId: event.eventId,
      },
      payload,
      now,
      {
        also: async (tx) => {
          const { count } = await tx.failedEvent.updateMany({
            where: { id: event.id, status: { not: "REPLAYED" } },
            data: { status: "REPLAYED", replayedAt: now, replayedBy: staff },
          });
          if (count === 0) throw new AlreadyReplayed();
        },
      },
    );
  } catch (error) {
    if (error instanceof AlreadyReplayed) {
      return { ok: false, error: "This event was replayed already." };
    }
    // The effect's natural key says it was applied meanwhile (e.g. Shopify sent it again).
    if (isUniqueViolation(error)) {
      await prisma.failedEvent.updateMany({
        where: { id: event.id, status: { not: "REPLAYED" } },
        data: { status: "REPLAYED", replayedAt: now, replayedBy: staff },
      });
      return { ok: true };
    }
    const reason = message(error);
    await prisma.failedEvent.update({
      where: { id: event.id },
      data: { error: reason, attempts: { increment: 1 } },
    });
    log.warn("replay failed", {
      shop: event.shop,
      topic: event.topic,
      failedEventId: event.id,
      error: reason,
    });
    return { ok: false, error: `Replaying failed again: ${reason}` };
  }
  log.info("webhook replayed", { shop: event.shop, topic: event.topic, failedEventId: event.id });
  return { ok: true };
}

class AlreadyReplayed extends Error {}
