import { z } from "zod";
import prisma from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { contributionsFor } from "../domain/earning-rules";
import { log } from "../log.server";
import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor } from "./members.server";
import { earningRules } from "./program.server";
import { shopConfig } from "./shop-config.server";
import { storedPayload } from "./webhooks.server";

/**
 * Points for something the shopper did that the merchant's own automation reports: a product
 * review, an event attended, a survey. Review and event apps that run Shopify Flow call the
 * "Award loyalty points" action (extensions/award-points), which lands here.
 */

export interface BonusAction {
  /** Flow's action_run_id: the same run delivered again awards nothing more. */
  runId: string;
  customerId: string;
  points: number;
  /** The merchant's words from the workflow ("Product review"), shown to the shopper as is. */
  reason: string;
}

export type BonusActionResult =
  | { ok: true; duplicate: boolean; balance: number }
  | { ok: false; error: "PROGRAM_OFF" | "ABOVE_CEILING"; message: string };

export async function awardBonusAction(
  shop: string,
  action: BonusAction,
  now = new Date(),
): Promise<BonusActionResult> {
  const key = `flow:${action.runId}`;
  const earlier = async () => {
    const entry = await prisma.ledgerEntry.findUnique({
      where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
    });
    return entry && { ok: true as const, duplicate: true, balance: entry.balanceAfter };
  };
  const already = await earlier();
  if (already) return already;
  try {
    return await prisma.$transaction(async (tx) => {
      const rules = await shopConfig(shop, tx);
      const { program } = rules;
      if (!program.enabled) {
        return {
          ok: false as const,
          error: "PROGRAM_OFF" as const,
          message: "The loyalty program is switched off, so no points were awarded.",
        };
      }
      const contributions = contributionsFor(earningRules(program, null), {
        type: "BONUS_ACTION",
        points: action.points,
      });
      if (!contributions.length) {
        return {
          ok: false as const,
          error: "ABOVE_CEILING" as const,
          message: `Award between 1 and ${program.maxPointsPerOrder.toLocaleString("en")} points: the most one order may earn (Program settings).`,
        };
      }
      let member = await memberFor(
        tx,
        shop,
        { customerId: action.customerId, email: null, firstName: null, lastName: null },
        now,
      );
      member = await postEntry(
        tx,
        program,
        member,
        {
          kind: "EARN",
          points: action.points,
          source: "FLOW",
          sourceId: action.runId,
          idempotencyKey: key,
          rule: { reason: action.reason, contributions },
          description: action.reason,
          occurredAt: now,
        },
        now,
      );
      member = await evaluateTier(tx, rules, member, now, action.reason);
      return { ok: true as const, duplicate: false, balance: member.balance };
    });
  } catch (error) {
    // The same run delivered twice at once (Flow retries a request it saw time out).
    if (!isUniqueViolation(error)) throw error;
    const first = await earlier();
    if (!first) throw error;
    log.info("flow action delivered again while it was applied", { shop, runId: action.runId });
    return first;
  }
}

/** The Flow action's handle (extensions/award-points/shopify.extension.toml). */
export const AWARD_POINTS_HANDLE = "award-loyalty-points";
const MAX_REASON = 200;

/**
 * Flow's request body: who ran it and the properties the merchant's workflow filled in. A
 * `customer_reference` field arrives as `customer_id`, the customer's numeric id; a gid is
 * accepted too.
 */
const flowAwardSchema = () =>
  z.object({
    shopify_domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
    action_run_id: z.string().min(1).max(200),
    handle: z.literal(AWARD_POINTS_HANDLE).optional(),
    properties: z.object({
      customer_id: z
        .union([z.string(), z.number().int().positive()])
        .transform((id) => String(id).replace(/^gid:\/\/shopify\/Customer\//, ""))
        .pipe(z.string().regex(/^\d+$/, { error: "customer_id must be a customer's id" })),
      points: z.coerce
        .number({ error: "points must be a whole number" })
        .int({ error: "points must be a whole number" })
        .positive({ error: "points must be above 0" }),
      reason: z
        .string({ error: "reason is required" })
        .trim()
        .min(1, { error: "reason is required" })
        .max(MAX_REASON, { error: `reason must be ${MAX_REASON} characters or fewer` }),
    }),
  });

export type FlowAward = { shop: string } & BonusAction;

export function parseFlowAward(
  payload: unknown,
): { ok: true; award: FlowAward } | { ok: false; message: string } {
  const parsed = flowAwardSchema().safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${issue.path.join(".") || "body"}: ${issue.message}` };
  }
  const { shopify_domain, action_run_id, properties } = parsed.data;
  return {
    ok: true,
    award: {
      shop: shopify_domain,
      runId: action_run_id,
      customerId: properties.customer_id,
      points: properties.points,
      reason: properties.reason,
    },
  };
}

/**
 * A signed Flow request the app cannot carry out: kept with the failed webhooks, so the merchant
 * sees it in the app as well as in the workflow's run log, and answered with a 4xx so Flow does
 * not send it again.
 */
export async function recordRejectedFlowAction(shop: string, payload: unknown, error: string) {
  const text = JSON.stringify(payload) ?? "";
  const runId = (payload as { action_run_id?: unknown } | null)?.action_run_id;
  const webhookId = `flow:${typeof runId === "string" && runId ? runId : crypto.randomUUID()}`;
  log.warn("flow action refused", { shop, webhookId, error });
  const { payload: stored, truncated } = storedPayload(text);
  try {
    await prisma.failedEvent.upsert({
      where: { shop_webhookId: { shop, webhookId } },
      create: {
        shop,
        topic: `flow/${AWARD_POINTS_HANDLE}`,
        webhookId,
        reason: "INVALID",
        status: "DEAD",
        payload: stored,
        payloadBytes: Buffer.byteLength(text),
        truncated,
        error,
      },
      update: { attempts: { increment: 1 }, error },
    });
  } catch (recordError) {
    if (!isUniqueViolation(recordError)) throw recordError;
  }
}
