import { localDateTime } from "./time-zones";

/**
 * The loyalty events the app sends to Shopify Flow, one trigger extension each
 * (extensions/flow-*). Merchants start workflows from them: "Congrats, you reached Gold" emails,
 * a "Don't let your points expire" reminder, a customer tag, a Klaviyo event. Each trigger
 * carries the customer (Flow loads the customer itself from `customer_id`) and the values a
 * message or a condition needs. A test checks every extension declares exactly these fields.
 */

export type FlowFieldType = "single_line_text_field" | "number_integer";

export interface FlowTriggerDefinition {
  title: string;
  description: string;
  fields: Record<string, { type: FlowFieldType; description: string }>;
}

const balance = {
  type: "number_integer",
  description: "The customer's points balance after the event.",
} as const;

export const FLOW_TRIGGERS = {
  "loyalty-tier-changed": {
    title: "Loyalty tier changed",
    description: "A customer moved up or down a loyalty tier.",
    fields: {
      tier_name: { type: "single_line_text_field", description: "The new tier; empty when none." },
      previous_tier_name: {
        type: "single_line_text_field",
        description: "The tier before; empty when none.",
      },
      direction: { type: "single_line_text_field", description: "up or down." },
      points_balance: balance,
    },
  },
  "loyalty-points-earned": {
    title: "Loyalty points earned",
    description: "A customer earned points: an order, a signup bonus, a bonus action.",
    fields: {
      points: { type: "number_integer", description: "Points earned, pending ones included." },
      points_balance: balance,
      reason: { type: "single_line_text_field", description: "What earned them." },
    },
  },
  "loyalty-points-expiring": {
    title: "Loyalty points expiring soon",
    description: "A customer's points expire in a few days unless they earn or spend.",
    fields: {
      points_balance: { type: "number_integer", description: "The points that will expire." },
      expires_on: {
        type: "single_line_text_field",
        description: "The day they expire (YYYY-MM-DD).",
      },
      days_left: { type: "number_integer", description: "Whole days until then." },
    },
  },
  "loyalty-reward-redeemed": {
    title: "Loyalty reward redeemed",
    description: "A customer spent points on a reward and received its discount code.",
    fields: {
      reward_name: { type: "single_line_text_field", description: "The reward." },
      discount_code: { type: "single_line_text_field", description: "The customer's code." },
      points_spent: { type: "number_integer", description: "Points the reward cost." },
      points_balance: balance,
    },
  },
  "loyalty-reward-available": {
    title: "Loyalty reward available",
    description: "A customer's points now cover a reward they could not afford before.",
    fields: {
      reward_name: {
        type: "single_line_text_field",
        description: "The most valuable reward newly within reach.",
      },
      reward_points_cost: { type: "number_integer", description: "What it costs." },
      points_balance: balance,
    },
  },
} as const satisfies Record<string, FlowTriggerDefinition>;

export type FlowTrigger = keyof typeof FLOW_TRIGGERS;
export type FlowFields<T extends FlowTrigger> = {
  [K in keyof (typeof FLOW_TRIGGERS)[T]["fields"]]: (typeof FLOW_TRIGGERS)[T]["fields"][K] extends {
    type: "number_integer";
  }
    ? number
    : string;
};

export function isFlowTrigger(handle: string): handle is FlowTrigger {
  return Object.hasOwn(FLOW_TRIGGERS, handle);
}

/**
 * flowTriggerReceive's payload: the customer as `customer_id` (Flow's customer_reference field)
 * and the trigger's fields. Customer ids are below 2^53, so they go as the number Flow expects.
 */
export function flowTriggerPayload(
  trigger: FlowTrigger,
  customerId: string,
  fields: Record<string, string | number>,
): Record<string, string | number> {
  const payload: Record<string, string | number> = { customer_id: Number(customerId) };
  for (const [key, field] of Object.entries(FLOW_TRIGGERS[trigger].fields)) {
    const value = fields[key];
    payload[key] =
      field.type === "number_integer" ? Math.trunc(Number(value ?? 0)) : String(value ?? "");
  }
  return payload;
}

/**
 * Of the rewards a balance now covers and did not before, the one to announce: the most
 * expensive (the biggest news), or none.
 */
export function newlyAffordable<R extends { pointsCost: number }>(
  rewards: readonly R[],
  before: number,
  after: number,
): R | null {
  let best: R | null = null;
  for (const reward of rewards) {
    if (reward.pointsCost > before && reward.pointsCost <= after) {
      if (!best || reward.pointsCost > best.pointsCost) best = reward;
    }
  }
  return best;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Points expiring soon" fields for a balance expiring at `expiresAt`, on the shop's calendar. */
export function expiringFields(balance: number, expiresAt: Date, now: Date, timeZone: string) {
  return {
    points_balance: balance,
    expires_on: localDateTime(expiresAt, timeZone).slice(0, 10),
    days_left: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS)),
  } satisfies FlowFields<"loyalty-points-expiring">;
}
