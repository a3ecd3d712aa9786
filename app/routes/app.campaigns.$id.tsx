import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineGrid,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import {
  campaignFormContext,
  createCampaign,
  deleteCampaign,
  findCampaign,
  setCampaignEnabled,
  updateCampaign,
} from "../admin/campaigns.server";
import { AdminSaveBar } from "../components/AdminSaveBar";
import { pickedResources, ResourceChoice } from "../components/ResourceChoice";
import { ConfirmDeleteModal, toggleAndDeleteActions } from "../components/resource-actions";
import { toFormData, useFormState } from "../components/form-state";
import { doneUrl, useDoneToast, useToast } from "../components/toast";
import {
  CAMPAIGN_KINDS,
  MAX_CAMPAIGN_COLLECTIONS,
  MAX_CAMPAIGN_PRODUCTS,
  parseCampaignForm,
} from "../domain/campaign-form";
import { CAMPAIGN_STATUS_BADGES, campaignStatus } from "../domain/campaigns";
import type { FieldErrors } from "../domain/forms";
import { formValues } from "../domain/forms";
import { localDateTime } from "../domain/time-zones";
import { authenticate } from "../shopify.server";

const NEW = "new";
const DAY_MS = 24 * 60 * 60 * 1000;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const context = await campaignFormContext(session.shop);
  const now = new Date();
  const local = (at: Date) => localDateTime(at, context.timeZone);
  if (params.id === NEW) {
    // A new campaign starts at the shop's next midnight and runs three days.
    const tomorrow = local(new Date(now.getTime() + DAY_MS)).slice(0, 10);
    const endDay = new Date(Date.parse(`${tomorrow}T00:00:00Z`) + 3 * DAY_MS);
    return {
      ...context,
      campaign: null,
      defaults: {
        startsAt: `${tomorrow}T00:00`,
        endsAt: `${endDay.toISOString().slice(0, 10)}T00:00`,
      },
    };
  }
  const { collectionProductIds, collectionsReadAt, ...campaign } = await findCampaign(
    session.shop,
    params.id ?? "",
  );
  return {
    ...context,
    campaign: {
      ...campaign,
      status: campaignStatus(campaign, now),
      startsAt: local(campaign.startsAt),
      endsAt: local(campaign.endsAt),
      // A count, not the (up to 100,000) products themselves.
      collectionProductCount: collectionProductIds.length,
      collectionsReadAt: collectionsReadAt ? local(collectionsReadAt).replace("T", " ") : null,
    },
    defaults: null,
  };
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.campaign ? "Edit campaign" : "Create campaign"} · Loyalty` },
];

type ActionResult = { ok: false; errors: FieldErrors } | { ok: true; message: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = params.id ?? "";
  const input = formValues(await request.formData());

  if (input.intent === "delete" && id !== NEW) {
    await deleteCampaign(shop, id);
    return redirect(doneUrl("/app/campaigns", "campaign-deleted"));
  }
  if (input.intent === "toggle" && id !== NEW) {
    const campaign = await setCampaignEnabled(shop, id, input.enabled === "true");
    return {
      ok: true,
      message: campaign.enabled ? "Campaign switched on" : "Campaign switched off",
    } satisfies ActionResult;
  }

  const { currency, timeZone } = await campaignFormContext(shop);
  // The page showed times in a zone; a save read in another would move the campaign.
  if (input.timeZone && input.timeZone !== timeZone) {
    return {
      ok: false,
      errors: {
        form: `The shop's time zone is ${timeZone}, not ${input.timeZone} as the page showed. Check the start and end, then save again.`,
      },
    } satisfies ActionResult;
  }
  const parsed = parseCampaignForm(input, currency, timeZone);
  if (!parsed.ok) return parsed satisfies ActionResult;
  if (id === NEW) {
    const created = await createCampaign(shop, parsed.data);
    if (!created.ok) return created satisfies ActionResult;
    return redirect(doneUrl(`/app/campaigns/${created.campaign.id}`, "campaign-created"));
  }
  const updated = await updateCampaign(shop, id, parsed.data);
  if (!updated.ok) return updated satisfies ActionResult;
  return { ok: true, message: "Campaign saved" } satisfies ActionResult;
};

interface FormValues extends Record<string, unknown> {
  /** JSON of the picked resources, as the form posts them (parseCampaignForm reads them). */
  products: string;
  collections: string;
  name: string;
  kind: string;
  multiplier: string;
  bonusPoints: string;
  minimumSpend: string;
  startsAt: string;
  endsAt: string;
  tierIds: string[];
  enabled: boolean;
}

export default function CampaignPage() {
  const { campaign, defaults, tiers, currency, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const toast = useToast();
  useDoneToast();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const form = useFormState<FormValues>({
    name: campaign?.name ?? "",
    kind: campaign?.kind ?? "MULTIPLIER",
    multiplier: campaign?.multiplierPercent ? String(campaign.multiplierPercent / 100) : "2",
    bonusPoints: campaign?.bonusPoints ? String(campaign.bonusPoints) : "",
    minimumSpend: campaign?.minimumSpend ?? "",
    startsAt: campaign?.startsAt ?? defaults?.startsAt ?? "",
    endsAt: campaign?.endsAt ?? defaults?.endsAt ?? "",
    tierIds: campaign ? [...campaign.tierIds] : [],
    products: JSON.stringify(campaign?.products ?? []),
    collections: JSON.stringify(campaign?.collections ?? []),
    enabled: campaign?.enabled ?? true,
  });
  const { values, set } = form;
  const busy = navigation.state !== "idle";
  const saving = busy && navigation.formData?.get("intent") === "save";
  const errors: FieldErrors = actionData && !actionData.ok ? actionData.errors : {};

  useEffect(() => {
    if (actionData?.ok) toast(actionData.message);
  }, [actionData, toast]);

  const post = (data: Record<string, string>) => submit(data, { method: "post" });
  const save = () => submit(toFormData(values, { intent: "save", timeZone }), { method: "post" });
  const isNew = campaign === null;
  const status = campaign ? CAMPAIGN_STATUS_BADGES[campaign.status] : null;

  return (
    <Page
      title={isNew ? "Create campaign" : "Edit campaign"}
      subtitle={campaign?.name}
      titleMetadata={status ? <Badge tone={status.tone}>{status.label}</Badge> : undefined}
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
      primaryAction={{
        content: isNew ? "Create campaign" : "Save campaign",
        onAction: save,
        disabled: !isNew && !form.dirty,
        loading: saving,
      }}
      secondaryActions={
        campaign
          ? toggleAndDeleteActions({
              enabled: campaign.enabled,
              enableLabel: "Switch on",
              disableLabel: "Switch off",
              deleteLabel: "Delete campaign",
              busy,
              submit: post,
              confirmDelete: () => setConfirmDelete(true),
            })
          : []
      }
    >
      <AdminSaveBar
        id="campaign-save-bar"
        open={form.dirty}
        saving={saving}
        onSave={save}
        onDiscard={form.reset}
      />
      <BlockStack gap="400">
        {Object.keys(errors).length ? (
          <Banner tone="critical" title="Nothing was saved">
            <p>{errors.form ?? "Fix the highlighted fields and save again."}</p>
          </Banner>
        ) : null}
        <Card>
          <FormLayout>
            <TextField
              label="Campaign name"
              helpText="Shown to shoppers in the widget's ways to earn while the campaign runs."
              autoComplete="off"
              value={values.name}
              onChange={set("name")}
              error={errors.name}
            />
            <Select
              label="Campaign gives"
              options={CAMPAIGN_KINDS}
              value={values.kind}
              onChange={set("kind")}
              error={errors.kind}
            />
            {values.kind === "MULTIPLIER" ? (
              <TextField
                label="Multiplier"
                helpText="2 doubles the points an order earns, on top of the member's tier multiplier. Campaigns do not stack: of those running, the multiplier that adds the most points to an order applies."
                autoComplete="off"
                inputMode="decimal"
                prefix="×"
                value={values.multiplier}
                onChange={set("multiplier")}
                error={errors.multiplier}
              />
            ) : (
              <FormLayout.Group>
                <TextField
                  label="Bonus points per order"
                  type="number"
                  min={1}
                  autoComplete="off"
                  value={values.bonusPoints}
                  onChange={set("bonusPoints")}
                  error={errors.bonusPoints}
                />
                <TextField
                  label={`Minimum spend (${currency})`}
                  helpText="Optional. The bonus is taken back if a refund brings the order below it."
                  autoComplete="off"
                  inputMode="decimal"
                  value={values.minimumSpend}
                  onChange={set("minimumSpend")}
                  error={errors.minimumSpend}
                />
              </FormLayout.Group>
            )}
          </FormLayout>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingSm">
              When
            </Text>
            <Text as="p" tone="subdued">
              {`Orders paid from the start up to (not including) the end earn it, in the shop's time zone (${timeZone}).`}
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
              <TextField
                label="Starts"
                type="datetime-local"
                autoComplete="off"
                value={values.startsAt}
                onChange={set("startsAt")}
                error={errors.startsAt}
              />
              <TextField
                label="Ends"
                type="datetime-local"
                autoComplete="off"
                value={values.endsAt}
                onChange={set("endsAt")}
                error={errors.endsAt}
              />
            </InlineGrid>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingSm">
              Products
            </Text>
            <ResourceChoice
              type="product"
              label="Products"
              max={MAX_CAMPAIGN_PRODUCTS}
              idPrefix="campaign"
              value={values.products}
              onChange={set("products")}
              error={errors.products}
            />
            <ResourceChoice
              type="collection"
              label="Collections"
              max={MAX_CAMPAIGN_COLLECTIONS}
              idPrefix="campaign"
              value={values.collections}
              onChange={set("collections")}
              error={errors.collections}
            />
            <Text as="p" tone="subdued">
              {pickedResources(values.products).length || pickedResources(values.collections).length
                ? "Only the lines of these products earn it, and a bonus's minimum counts their spend alone."
                : "Every product earns it. Choose products or collections to limit it to them."}
            </Text>
            {campaign && campaign.collections.length ? (
              <CollectionsRead
                readAt={campaign.collectionsReadAt}
                timeZone={timeZone}
                error={campaign.collectionsError}
                count={campaign.collectionProductCount}
              />
            ) : null}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            {tiers.length ? (
              <ChoiceList
                title="Members"
                allowMultiple
                choices={tiers.map((tier) => ({ label: tier.name, value: tier.id }))}
                selected={values.tierIds}
                onChange={set("tierIds")}
                error={errors.tierIds}
              />
            ) : null}
            <Text as="p" tone="subdued">
              {values.tierIds.length
                ? "Only members in the chosen tiers earn it."
                : "Every member earns it. Choose tiers to limit it to them."}
            </Text>
            <Checkbox
              label="Campaign is on"
              helpText="Switch off to stop it early; orders already paid keep what they earned."
              checked={values.enabled}
              onChange={set("enabled")}
            />
          </BlockStack>
        </Card>
      </BlockStack>
      <ConfirmDeleteModal
        open={confirmDelete}
        title={`Delete ${campaign?.name ?? "campaign"}?`}
        deleteLabel="Delete campaign"
        busy={busy}
        onClose={() => setConfirmDelete(false)}
        submit={post}
      >
        Orders already paid keep the points the campaign gave them, and their explanation still
        names it. This cannot be undone.
      </ConfirmDeleteModal>
    </Page>
  );
}

/** Whether the worker has read the collections' products yet, and how that went. */
function CollectionsRead(props: {
  /** Local time in the shop's zone, as the page's other times. */
  readAt: string | null;
  timeZone: string;
  error: string | null;
  count: number;
}) {
  if (props.error) {
    return (
      <Banner tone="warning" title="The saved collections' products could not be read">
        <p>{props.error}</p>
        {props.readAt ? (
          <p>{`Until then the campaign counts the ${props.count.toLocaleString("en")} products read before.`}</p>
        ) : null}
      </Banner>
    );
  }
  if (!props.readAt) {
    return (
      <Text as="p" tone="subdued">
        The app is reading the saved collections' products from Shopify. Until it has, their
        products do not earn the campaign.
      </Text>
    );
  }
  return (
    <Text as="p" tone="subdued">
      {`The saved collections hold ${props.count.toLocaleString("en")} products. The app checks them with Shopify every 15 minutes; they last changed at ${props.readAt} (${props.timeZone}).`}
    </Text>
  );
}
