/**
 * Webhook delivery as Shopify does it: topics go to the URIs the app declares in
 * shopify.app.toml, the raw JSON body is signed with the app secret (base64 HMAC-SHA256), and the
 * headers carry topic, shop, API version, delivery id, event id and trigger time. Like Shopify,
 * the sender can deliver an event twice and out of order, which the app must survive.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { WebhookSubscription } from "./config";

export type DuplicateMode =
  /** A retry: same X-Shopify-Webhook-Id, same body. */
  | "retry"
  /** The same event sent again as a new delivery: new webhook id, same event id and body. */
  | "redeliver";

export interface SendOptions {
  /** Queue instead of sending; `release()` delivers the queue in the order you choose. */
  hold?: boolean;
  duplicate?: DuplicateMode | null;
  /** When the event happened in Shopify (X-Shopify-Triggered-At); defaults to now. */
  triggeredAt?: Date;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  ms: number;
  error?: string;
}

export interface Delivery {
  /** X-Shopify-Webhook-Id. */
  id: string;
  eventId: string;
  topic: string;
  uri: string;
  body: string;
  triggeredAt: string;
  state: "held" | "delivered" | "failed";
  /** Why the delivery exists besides the event itself: "duplicate of …". */
  note: string | null;
  attempts: DeliveryAttempt[];
}

export interface WebhookSenderOptions {
  /** Where the app listens, e.g. http://127.0.0.1:3101. */
  appUrl: string;
  shop: string;
  secret: string;
  apiVersion: string;
  subscriptions: WebhookSubscription[];
  /** Shopify waits five seconds for a 2xx. */
  timeoutMs?: number;
  onChange?: () => void;
}

export function hmacBase64(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

function pick(payload: unknown, fields: string[] | null): unknown {
  if (!fields || !payload || typeof payload !== "object") return payload;
  const source = payload as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

const LOG_LIMIT = 500;

export class WebhookSender {
  readonly log: Delivery[] = [];
  /** Hold every delivery until released (the console's "Hold deliveries" switch). */
  holdAll = false;
  /** Default duplicate behaviour for deliveries that don't say (the console's switch). */
  duplicateAll: DuplicateMode | null = null;

  constructor(private readonly options: WebhookSenderOptions) {}

  subscriptionFor(topic: string): WebhookSubscription | undefined {
    return this.options.subscriptions.find((s) => s.topics.includes(topic));
  }

  get held(): Delivery[] {
    return this.log.filter((d) => d.state === "held");
  }

  /**
   * Sends one event to every subscription for its topic. Topics the app did not subscribe to
   * are not sent at all, as on Shopify. Returns the deliveries made (or queued).
   */
  async send(topic: string, payload: unknown, options: SendOptions = {}): Promise<Delivery[]> {
    const subscription = this.subscriptionFor(topic);
    if (!subscription) return [];
    const delivery: Delivery = {
      id: randomUUID(),
      eventId: randomUUID(),
      topic,
      uri: subscription.uri,
      body: JSON.stringify(pick(payload, subscription.includeFields)),
      triggeredAt: (options.triggeredAt ?? new Date()).toISOString(),
      state: "held",
      note: null,
      attempts: [],
    };
    const made = [delivery];
    const duplicate = options.duplicate === undefined ? this.duplicateAll : options.duplicate;
    if (duplicate) {
      made.push({
        ...delivery,
        id: duplicate === "retry" ? delivery.id : randomUUID(),
        note: `${duplicate === "retry" ? "retry" : "second delivery"} of ${delivery.id}`,
        attempts: [],
      });
    }
    this.record(made);
    if (options.hold ?? this.holdAll) return made;
    for (const item of made) await this.deliver(item);
    return made;
  }

  /** Delivers the held queue: in order, reversed (newest first) or shuffled. */
  async release(order: "in-order" | "reverse" | "shuffle" = "in-order"): Promise<Delivery[]> {
    const queue = this.held;
    if (order === "reverse") queue.reverse();
    if (order === "shuffle") {
      for (let i = queue.length - 1; i > 0; i -= 1) {
        const j = Math.floor(Math.random() * (i + 1));
        [queue[i], queue[j]] = [queue[j]!, queue[i]!];
      }
    }
    for (const delivery of queue) await this.deliver(delivery);
    return queue;
  }

  /** Shopify resends a failed delivery with the same id and body; so does this. */
  async redeliver(id: string): Promise<Delivery | null> {
    const delivery = [...this.log].reverse().find((d) => d.id === id && d.state !== "held");
    if (!delivery) return null;
    await this.deliver(delivery);
    return delivery;
  }

  private record(deliveries: Delivery[]) {
    this.log.push(...deliveries);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    this.options.onChange?.();
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const started = Date.now();
    const attempt: DeliveryAttempt = { at: new Date(started).toISOString(), status: null, ms: 0 };
    try {
      const response = await fetch(`${this.options.appUrl}${delivery.uri}`, {
        method: "POST",
        body: delivery.body,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Shopify-Captain-Hook",
          "X-Shopify-Topic": delivery.topic,
          "X-Shopify-Hmac-Sha256": hmacBase64(delivery.body, this.options.secret),
          "X-Shopify-Shop-Domain": this.options.shop,
          "X-Shopify-API-Version": this.options.apiVersion,
          "X-Shopify-Webhook-Id": delivery.id,
          "X-Shopify-Event-Id": delivery.eventId,
          "X-Shopify-Triggered-At": delivery.triggeredAt,
        },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      await response.arrayBuffer();
      attempt.status = response.status;
    } catch (error) {
      attempt.error =
        error instanceof Error && error.name === "TimeoutError"
          ? "no response within 5 s"
          : String((error as Error)?.message ?? error);
    }
    attempt.ms = Date.now() - started;
    delivery.attempts.push(attempt);
    delivery.state =
      attempt.status !== null && attempt.status >= 200 && attempt.status < 300
        ? "delivered"
        : "failed";
    this.options.onChange?.();
  }

  toJSON() {
    return { holdAll: this.holdAll, duplicateAll: this.duplicateAll, log: this.log };
  }

  restore(saved: { holdAll?: boolean; duplicateAll?: DuplicateMode | null; log?: Delivery[] }) {
    this.holdAll = saved.holdAll ?? false;
    this.duplicateAll = saved.duplicateAll ?? null;
    this.log.splice(0, this.log.length, ...(saved.log ?? []));
  }
}

/** REST payload timestamps: seconds precision with the shop's UTC offset (the demo shop is UTC). */
export function shopifyTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
