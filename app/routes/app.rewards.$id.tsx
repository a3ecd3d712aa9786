import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  Checkbox,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import {
  createReward,
  deleteReward,
  findReward,
  freeProductNow,
  redemptionCount,
  rewardFormContext,
  setRewardEnabled,
  updateReward,
} from "../admin/rewards.server";
import { AdminSaveBar } from "../components/AdminSaveBar";
import { ConfirmDeleteModal, toggleAndDeleteActions } from "../components/resource-actions";
import { toFormData, useFormState } from "../components/form-state";
import { doneUrl, useDoneToast, useToast } from "../components/toast";
import type { FieldErrors } from "../domain/forms";
import { formValues } from "../domain/forms";
import { formatAmount } from "../domain/money";
import { MAX_REWARD_COLLECTIONS, parseRewardForm, REWARD_TYPES } from "../domain/reward-form";
import { pickedResources, ResourceChoice } from "../components/ResourceChoice";
import { authenticate } from "../shopify.server";

const NEW = "new";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const context = await rewardFormContext(session.shop);
  if (params.id === NEW) return { ...context, reward: null, redemptions: 0, product: null };
  const reward = await findReward(session.shop, params.id ?? "");
  const [redemptions, product] = await Promise.all([
    redemptionCount(reward.id),
    freeProductNow(session.shop, reward, context.currency),
  ]);
  return { ...context, reward, redemptions, product };
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.reward ? "Edit reward" : "Create reward"} · Loyalty` },
];

type ActionResult = { ok: false; errors: FieldErrors } | { ok: true; message: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = params.id ?? "";
  const input = formValues(await request.formData());

  if (input.intent === "delete" && id !== NEW) {
    const result = await deleteReward(shop, id);
    if (!result.ok) return result satisfies ActionResult;
    return redirect(doneUrl("/app/rewards", "reward-deleted"));
  }
  if (input.intent === "toggle" && id !== NEW) {
    const reward = await setRewardEnabled(shop, id, input.enabled === "true");
    return {
      ok: true,
      message: reward.enabled ? "Reward enabled" : "Reward disabled",
    } satisfies ActionResult;
  }

  const { currency } = await rewardFormContext(shop);
  const parsed = parseRewardForm(input, currency);
  if (!parsed.ok) return parsed satisfies ActionResult;
  if (id === NEW) {
    const created = await createReward(shop, parsed.data);
    if (!created.ok) return created satisfies ActionResult;
    return redirect(doneUrl(`/app/rewards/${created.reward.id}`, "reward-created"));
  }
  const updated = await updateReward(shop, id, parsed.data);
  if (!updated.ok) return updated satisfies ActionResult;
  return { ok: true, message: "Reward saved" } satisfies ActionResult;
};

interface FormValues extends Record<string, unknown> {
  name: string;
  type: string;
  pointsCost: string;
  amount: string;
  percentage: string;
  minimumSubtotal: string;
  codeLifetimeDays: string;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
  tierId: string;
  /** JSON of the picked collections, as the form posts them. */
  collections: string;
  /** JSON of the picked variant (a list of one, or none), as the form posts it. */
  variant: string;
  enabled: boolean;
}

export default function RewardPage() {
  const { reward, tiers, currency, redemptions, product } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const toast = useToast();
  useDoneToast();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const savedVariant = JSON.stringify(reward?.variant ? [reward.variant] : []);
  const form = useFormState<FormValues>({
    name: reward?.name ?? "",
    type: reward?.type ?? "FIXED_AMOUNT",
    pointsCost: reward ? String(reward.pointsCost) : "500",
    amount: reward?.amount ?? "",
    percentage: reward?.percentage ? String(reward.percentage) : "",
    minimumSubtotal: reward?.minimumSubtotal ?? "",
    codeLifetimeDays: reward ? String(reward.codeLifetimeDays) : "30",
    combinesWithOrder: reward?.combinesWithOrder ?? false,
    combinesWithProduct: reward?.combinesWithProduct ?? true,
    combinesWithShipping: reward?.combinesWithShipping ?? true,
    tierId: reward?.tierId ?? "",
    collections: JSON.stringify(reward?.collections ?? []),
    variant: savedVariant,
    enabled: reward?.enabled ?? true,
  });
  const { values, set } = form;
  const credit = values.type === "STORE_CREDIT";
  const freeProduct = values.type === "FREE_PRODUCT";
  const busy = navigation.state !== "idle";
  const saving = busy && navigation.formData?.get("intent") === "save";
  const errors: FieldErrors = actionData && !actionData.ok ? actionData.errors : {};

  useEffect(() => {
    if (actionData?.ok) toast(actionData.message);
  }, [actionData, toast]);

  const save = () => submit(toFormData(values, { intent: "save" }), { method: "post" });
  const post = (data: Record<string, string>) => submit(data, { method: "post" });
  const isNew = reward === null;

  return (
    <Page
      title={isNew ? "Create reward" : "Edit reward"}
      subtitle={reward?.name}
      titleMetadata={
        reward ? (
          <Badge tone={reward.enabled ? "success" : undefined}>
            {reward.enabled ? "Enabled" : "Disabled"}
          </Badge>
        ) : undefined
      }
      backAction={{ content: "Rewards", url: "/app/rewards" }}
      primaryAction={{
        content: isNew ? "Create reward" : "Save reward",
        onAction: save,
        disabled: !isNew && !form.dirty,
        loading: saving,
      }}
      secondaryActions={
        reward
          ? toggleAndDeleteActions({
              enabled: reward.enabled,
              enableLabel: "Enable reward",
              disableLabel: "Disable reward",
              deleteLabel: "Delete reward",
              busy,
              submit: post,
              confirmDelete: () => setConfirmDelete(true),
            })
          : []
      }
    >
      <AdminSaveBar
        id="reward-save-bar"
        open={form.dirty}
        saving={saving}
        onSave={save}
        onDiscard={form.reset}
      />
      <Layout>
        {errors.form ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was changed">
              <p>{errors.form}</p>
            </Banner>
          </Layout.Section>
        ) : Object.keys(errors).length ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was saved">
              <p>Fix the highlighted fields and save again.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {product?.kind === "gone" || product?.kind === "unavailable" ? (
          <Layout.Section>
            <Banner
              tone="critical"
              title={
                product.kind === "gone"
                  ? "This reward's product is no longer in your shop"
                  : `Members cannot redeem this reward now: ${product.why}`
              }
            >
              <p>
                Members who try to redeem it are told it is not available, and keep their points.
                Choose another product, or disable the reward.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                <TextField
                  label="Reward name"
                  helpText="Shown to shoppers in the storefront widget."
                  autoComplete="off"
                  value={values.name}
                  onChange={set("name")}
                  error={errors.name}
                />
                <Select
                  label="Reward type"
                  options={REWARD_TYPES}
                  value={values.type}
                  onChange={set("type")}
                  error={errors.type}
                />
                {values.type === "FIXED_AMOUNT" || credit ? (
                  <TextField
                    label={credit ? `Store credit (${currency})` : `Amount off (${currency})`}
                    helpText={
                      credit
                        ? "Added to the customer's store credit account in Shopify, which checkout applies when they are signed in. Shopify emails them when it arrives."
                        : undefined
                    }
                    autoComplete="off"
                    inputMode="decimal"
                    suffix={currency}
                    value={values.amount}
                    onChange={set("amount")}
                    error={errors.amount}
                  />
                ) : null}
                {values.type === "PERCENTAGE" ? (
                  <TextField
                    label="Percentage off"
                    type="number"
                    min={1}
                    max={100}
                    autoComplete="off"
                    suffix="%"
                    value={values.percentage}
                    onChange={set("percentage")}
                    error={errors.percentage}
                  />
                ) : null}
                {freeProduct ? (
                  <BlockStack gap="200">
                    <ResourceChoice
                      type="variant"
                      label="Product"
                      max={1}
                      idPrefix="reward"
                      value={values.variant}
                      onChange={(json) => {
                        set("variant")(json);
                        // A name to start from, kept if the merchant already wrote one.
                        const [picked] = pickedResources(json);
                        if (picked && !values.name.trim()) set("name")(`Free ${picked.title}`);
                      }}
                      error={errors.variant}
                    />
                    <Text as="p" tone="subdued">
                      The code takes one unit of it off, at its price when the member redeems: the
                      shopper adds it to the cart (the widget's link does) and pays nothing for it.
                      {product?.kind === "price" && values.variant === savedVariant
                        ? ` Today one costs ${formatAmount(product.amount, currency)}.`
                        : null}
                    </Text>
                  </BlockStack>
                ) : null}
                {values.type === "FIXED_AMOUNT" || values.type === "PERCENTAGE" ? (
                  <BlockStack gap="200">
                    <ResourceChoice
                      type="collection"
                      label="Collections"
                      max={MAX_REWARD_COLLECTIONS}
                      idPrefix="reward"
                      value={values.collections}
                      onChange={set("collections")}
                      error={errors.collections}
                    />
                    <Text as="p" tone="subdued">
                      {pickedResources(values.collections).length
                        ? "The code takes its discount off these collections' products only."
                        : "The code takes its discount off the whole order. Choose collections to limit it to their products."}
                    </Text>
                  </BlockStack>
                ) : null}
                <TextField
                  label="Points cost"
                  type="number"
                  min={1}
                  autoComplete="off"
                  value={values.pointsCost}
                  onChange={set("pointsCost")}
                  error={errors.pointsCost}
                />
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingSm">
                  Conditions
                </Text>
                {credit || freeProduct ? null : (
                  <TextField
                    label={`Minimum order subtotal (${currency})`}
                    helpText={
                      values.type !== "FREE_SHIPPING" && pickedResources(values.collections).length
                        ? "Optional. Counts the chosen collections' products only, as Shopify checks it."
                        : "Optional. Leave empty for no minimum."
                    }
                    autoComplete="off"
                    inputMode="decimal"
                    value={values.minimumSubtotal}
                    onChange={set("minimumSubtotal")}
                    error={errors.minimumSubtotal}
                  />
                )}
                <TextField
                  label={credit ? "Credit expires after (days)" : "Code valid for (days)"}
                  helpText={
                    credit ? "From 1 to 365, or 0 for credit that never expires." : undefined
                  }
                  type="number"
                  min={credit ? 0 : 1}
                  max={365}
                  autoComplete="off"
                  value={values.codeLifetimeDays}
                  onChange={set("codeLifetimeDays")}
                  error={errors.codeLifetimeDays}
                />
                <Select
                  label="Available to"
                  options={[
                    { label: "Every member", value: "" },
                    ...tiers.map((tier) => ({
                      label: `${tier.name} members and above`,
                      value: tier.id,
                    })),
                  ]}
                  value={values.tierId}
                  onChange={set("tierId")}
                  error={errors.tierId}
                />
              </FormLayout>
            </Card>
            {credit ? null : (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    Combinations
                  </Text>
                  <Text as="p" tone="subdued">
                    Which other discounts the reward code can be used together with at checkout.
                  </Text>
                  <Checkbox
                    label="Other order discounts"
                    checked={values.combinesWithOrder}
                    onChange={set("combinesWithOrder")}
                  />
                  <Checkbox
                    label="Product discounts"
                    checked={values.combinesWithProduct}
                    onChange={set("combinesWithProduct")}
                  />
                  <Checkbox
                    label="Shipping discounts"
                    checked={values.combinesWithShipping}
                    onChange={set("combinesWithShipping")}
                  />
                </BlockStack>
              </Card>
            )}
            <Card>
              <Checkbox
                label="Members can redeem this reward"
                helpText="Turn off to hide it from the storefront. Codes already issued keep working until they expire."
                checked={values.enabled}
                onChange={set("enabled")}
              />
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ConfirmDeleteModal
        open={confirmDelete}
        title={`Delete ${reward?.name ?? "reward"}?`}
        deleteLabel="Delete reward"
        busy={busy}
        onClose={() => setConfirmDelete(false)}
        submit={post}
      >
        {redemptions > 0
          ? `This reward has been redeemed ${redemptions} times and cannot be deleted; disable it instead.`
          : "Members will no longer see this reward. This cannot be undone."}
      </ConfirmDeleteModal>
    </Page>
  );
}
