import prisma from "../db.server";
import { handlerForTopic } from "../loyalty/webhook-topics.server";
import { replayFailedEvent } from "../loyalty/replay.server";
import { notFound } from "./staff.server";

const PAGE_SIZE = 25;

// The list never reads payloads: they can be large, and the page needs only what went wrong.
export async function failedEvents(shop: string, page: number) {
  const [total, rows] = await Promise.all([
    prisma.failedEvent.count({ where: { shop } }),
    prisma.failedEvent.findMany({
      where: { shop },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        topic: true,
        webhookId: true,
        reason: true,
        status: true,
        attempts: true,
        error: true,
        truncated: true,
        payloadBytes: true,
        createdAt: true,
        replayedAt: true,
        replayedBy: true,
      },
    }),
  ]);
  return {
    page,
    total,
    hasNext: page * PAGE_SIZE < total,
    events: rows.map((event) => ({
      ...event,
      createdAt: event.createdAt.toISOString(),
      replayedAt: event.replayedAt?.toISOString() ?? null,
      // A refused Flow action run has no webhook handler to replay it: Flow sends it again.
      replayable:
        event.status === "DEAD" && !event.truncated && handlerForTopic(event.topic) !== null,
    })),
  };
}

export async function replay(shop: string, id: string, staff: string) {
  const event = await prisma.failedEvent.findFirst({ where: { id, shop } });
  if (!event) notFound("Failed event not found");
  return replayFailedEvent(event, staff);
}

export async function dataRequests(shop: string, page: number) {
  const [total, rows] = await Promise.all([
    prisma.dataRequest.count({ where: { shop } }),
    prisma.dataRequest.findMany({
      where: { shop },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, customerId: true, requestId: true, createdAt: true },
    }),
  ]);
  return {
    page,
    total,
    hasNext: page * PAGE_SIZE < total,
    requests: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function jsonDownload(body: string, filename: string) {
  return new Response(prettyJson(body), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

export async function failedEventDownload(shop: string, id: string) {
  const event = await prisma.failedEvent.findFirst({ where: { id, shop } });
  if (!event) notFound("Failed event not found");
  const body = JSON.stringify({
    topic: event.topic,
    webhookId: event.webhookId,
    eventId: event.eventId,
    receivedAt: event.createdAt.toISOString(),
    reason: event.reason,
    status: event.status,
    attempts: event.attempts,
    error: event.error,
    payloadBytes: event.payloadBytes,
    truncated: event.truncated,
    payload: event.truncated ? event.payload : safeParse(event.payload),
  });
  return jsonDownload(body, `failed-event-${event.id}.json`);
}

export async function dataRequestDownload(shop: string, id: string) {
  const request = await prisma.dataRequest.findFirst({ where: { id, shop } });
  if (!request) notFound("Data request not found");
  return jsonDownload(
    JSON.stringify(request.data),
    `customer-${request.customerId}-data-${request.id}.json`,
  );
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
