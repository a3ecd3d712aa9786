import type { Campaign as CampaignRow } from "@prisma/client";
import prisma from "../db.server";
import type { CampaignFormData } from "../domain/campaign-form";
import { describeCampaign } from "../domain/campaign-form";
import type { Campaign } from "../domain/campaigns";
import { campaignStatus } from "../domain/campaigns";
import type { FieldErrors } from "../domain/forms";
import { localDateTime } from "../domain/time-zones";
import { toCampaign } from "../loyalty/campaigns.server";
import { appAdmin } from "../shopify.server";
import { errorFields, log } from "../log.server";
import { jobQueue } from "../worker/queue.server";
import { shopTimeZone } from "./dashboard.server";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

/** What the campaign pages need: the currency, the tiers, and the zone the times are entered in. */
export async function campaignFormContext(shop: string) {
  const [program, tiers, timeZone] = await Promise.all([
    loadProgram(shop),
    prisma.tier.findMany({
      where: { shop },
      orderBy: { threshold: "asc" },
      select: { id: true, name: true },
    }),
    shopTimeZone(shop, () => appAdmin(shop)),
  ]);
  return { currency: program.currency, tiers, timeZone };
}

/** Running and scheduled first (soonest end first), then those switched off, then ended ones. */
export async function listCampaigns(shop: string, now: Date) {
  const { currency, tiers, timeZone } = await campaignFormContext(shop);
  // Without the products read from collections: the list shows how many were picked, not them.
  const rows = await prisma.campaign.findMany({
    where: { shop },
    orderBy: { endsAt: "asc" },
    omit: { collectionProductIds: true },
  });
  const tierName = new Map(tiers.map((t) => [t.id, t.name]));
  const rank = { ACTIVE: 0, SCHEDULED: 1, OFF: 2, ENDED: 3 } as const;
  const campaigns = rows
    .map((row) => toCampaign({ ...row, collectionProductIds: [] }))
    .map((campaign) => ({ campaign, status: campaignStatus(campaign, now) }))
    .sort((a, b) => rank[a.status] - rank[b.status]);
  return {
    timeZone,
    campaigns: campaigns.map(({ campaign, status }) => ({
      id: campaign.id,
      name: campaign.name,
      summary: describeCampaign(campaign, currency),
      status,
      startsAt: localDateTime(campaign.startsAt, timeZone).replace("T", " "),
      endsAt: localDateTime(campaign.endsAt, timeZone).replace("T", " "),
      tiers: campaign.tierIds.map((id) => tierName.get(id) ?? "(deleted tier)"),
    })),
  };
}

/** With how the worker's last read of its collections went, for the campaign page. */
export async function findCampaign(
  shop: string,
  id: string,
): Promise<Campaign & { collectionsReadAt: Date | null; collectionsError: string | null }> {
  const row = await prisma.campaign.findFirst({ where: { id, shop } });
  if (!row) notFound("Campaign not found");
  return {
    ...toCampaign(row),
    collectionsReadAt: row.collectionsReadAt,
    collectionsError: row.collectionsError,
  };
}

async function tierErrors(shop: string, tierIds: readonly string[]): Promise<FieldErrors> {
  if (!tierIds.length) return {};
  const found = await prisma.tier.count({ where: { shop, id: { in: [...tierIds] } } });
  return found === tierIds.length ? {} : { tierIds: "Choose among your tiers, or every member" };
}

function columns(data: CampaignFormData) {
  return {
    name: data.name,
    kind: data.kind,
    multiplierPercent: data.multiplierPercent,
    bonusPoints: data.bonusPoints,
    minimumSpend: data.minimumSpend,
    tierIds: [...data.tierIds],
    products: [...data.products],
    collections: [...data.collections],
    startsAt: data.startsAt,
    endsAt: data.endsAt,
    enabled: data.enabled,
  };
}

/** New collections are read again from scratch; the same ones keep what was read of them. */
function collectionColumns(data: CampaignFormData, before: Campaign | null) {
  const ids = (list: readonly { id: string }[]) =>
    list
      .map((c) => c.id)
      .sort()
      .join(",");
  if (before && ids(before.collections) === ids(data.collections)) return {};
  return { collectionProductIds: [], collectionsReadAt: null, collectionsError: null };
}

/**
 * Their products are read from Shopify by the worker, now rather than at its next round. The
 * campaign is saved either way: if the queue cannot be reached, the 15-minute round reads them.
 */
async function readCollections(shop: string, data: CampaignFormData) {
  if (!data.collections.length) return;
  try {
    await jobQueue().send("read-campaign-collections", { unreadOnly: true });
  } catch (error) {
    log.error("campaign collections read could not be queued", { shop, ...errorFields(error) });
  }
}

type SaveResult = { ok: true; campaign: CampaignRow } | { ok: false; errors: FieldErrors };

export async function createCampaign(shop: string, data: CampaignFormData): Promise<SaveResult> {
  const errors = await tierErrors(shop, data.tierIds);
  if (Object.keys(errors).length) return { ok: false, errors };
  const campaign = await prisma.campaign.create({
    data: { shop, ...columns(data), ...collectionColumns(data, null) },
  });
  await readCollections(shop, data);
  return { ok: true, campaign };
}

/**
 * Orders already paid keep what the campaign gave them (their rule snapshot); a change applies to
 * orders paid from now on, and to those paid earlier in the window whose webhooks are still to
 * come.
 */
export async function updateCampaign(
  shop: string,
  id: string,
  data: CampaignFormData,
): Promise<SaveResult> {
  const before = await findCampaign(shop, id);
  const errors = await tierErrors(shop, data.tierIds);
  if (Object.keys(errors).length) return { ok: false, errors };
  const reread = collectionColumns(data, before);
  const campaign = await prisma.campaign.update({
    where: { id },
    data: { ...columns(data), ...reread },
  });
  if (Object.keys(reread).length) await readCollections(shop, data);
  return { ok: true, campaign };
}

export async function setCampaignEnabled(shop: string, id: string, enabled: boolean) {
  await findCampaign(shop, id);
  return prisma.campaign.update({ where: { id }, data: { enabled } });
}

/** Orders name the campaign in their own snapshot, so deleting one changes no points. */
export async function deleteCampaign(shop: string, id: string) {
  await findCampaign(shop, id);
  await prisma.campaign.delete({ where: { id } });
}
