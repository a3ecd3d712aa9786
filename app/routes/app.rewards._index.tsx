import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Button, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { formatNumber } from "../components/format";
import { listRewards, setRewardEnabled } from "../admin/rewards.server";
import { formValues } from "../domain/forms";
import { authenticate } from "../shopify.server";
import { useDoneToast } from "../components/toast";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listRewards(session.shop);
};

export const meta: MetaFunction = () => [{ title: "Rewards · Loyalty" }];

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Built here, not at module level, so the page's browser bundle does not carry zod.
  const toggle = z.object({
    intent: z.literal("toggle"),
    id: z.string().min(1),
    enabled: z.enum(["true", "false"]),
  });
  const parsed = toggle.safeParse(formValues(await request.formData()));
  if (!parsed.success) return { ok: false as const, errors: { form: "Unknown request" } };
  const reward = await setRewardEnabled(
    session.shop,
    parsed.data.id,
    parsed.data.enabled === "true",
  );
  return { ok: true as const, id: reward.id, enabled: reward.enabled };
};

function ToggleButton({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const next = !enabled;
  return (
    <Button
      size="slim"
      loading={fetcher.state !== "idle"}
      accessibilityLabel={`${next ? "Enable" : "Disable"}: ${name}`}
      onClick={() =>
        fetcher.submit({ intent: "toggle", id, enabled: String(next) }, { method: "post" })
      }
    >
      {next ? "Enable" : "Disable"}
    </Button>
  );
}

export default function RewardsPage() {
  const { rewards } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  useDoneToast();

  return (
    <Page
      title="Rewards"
      subtitle="What members can spend their points on. Each redemption becomes a single-use discount code for that customer."
      primaryAction={{ content: "Create reward", url: "/app/rewards/new" }}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {rewards.length === 0 ? (
              <EmptyState
                heading="Create your first reward"
                action={{ content: "Create reward", url: "/app/rewards/new" }}
                image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
              >
                <p>
                  Members need something to spend points on: an amount off, a percentage off or free
                  shipping.
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "reward", plural: "rewards" }}
                itemCount={rewards.length}
                selectable={false}
                headings={[
                  { title: "Reward" },
                  { title: "Value" },
                  { title: "Cost", alignment: "end" },
                  { title: "Tier" },
                  { title: "Status" },
                  { title: "Redeemed", alignment: "end" },
                  { title: "Actions" },
                ]}
              >
                {rewards.map((reward, index) => (
                  <IndexTable.Row
                    id={reward.id}
                    key={reward.id}
                    position={index}
                    onClick={() => navigate(`/app/rewards/${reward.id}`)}
                  >
                    <IndexTable.Cell>
                      <Button
                        variant="plain"
                        url={`/app/rewards/${reward.id}`}
                        accessibilityLabel={`Edit ${reward.name}`}
                      >
                        {reward.name}
                      </Button>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{reward.summary}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatNumber(reward.pointsCost)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{reward.tier ?? "Everyone"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={reward.enabled ? "success" : undefined}>
                        {reward.enabled ? "Enabled" : "Disabled"}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {reward.redemptions}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {/* Stop the row's click from also opening the reward. */}
                      <div onClick={(event) => event.stopPropagation()} role="presentation">
                        <ToggleButton id={reward.id} name={reward.name} enabled={reward.enabled} />
                      </div>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
