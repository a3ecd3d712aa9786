import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Button, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { listCampaigns } from "../admin/campaigns.server";
import { useDoneToast } from "../components/toast";
import { CAMPAIGN_STATUS_BADGES } from "../domain/campaigns";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listCampaigns(session.shop, new Date());
};

export const meta: MetaFunction = () => [{ title: "Campaigns · Loyalty" }];

export default function CampaignsPage() {
  const { campaigns, timeZone } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  useDoneToast();

  return (
    <Page
      title="Campaigns"
      subtitle={`Limited-time double points or bonus points on orders, shown in the storefront widget while they run. Times are in ${timeZone}.`}
      primaryAction={{ content: "Create campaign", url: "/app/campaigns/new" }}
    >
      <Card padding="0">
        {campaigns.length === 0 ? (
          <EmptyState
            heading="Run a campaign"
            action={{ content: "Create campaign", url: "/app/campaigns/new" }}
            image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
          >
            <p>
              Double points for a weekend, or bonus points on orders over an amount, for every
              member or only some tiers.
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "campaign", plural: "campaigns" }}
            itemCount={campaigns.length}
            selectable={false}
            headings={[
              { title: "Campaign" },
              { title: "Gives" },
              { title: "Members" },
              { title: "Starts" },
              { title: "Ends" },
              { title: "Status" },
            ]}
          >
            {campaigns.map((campaign, index) => (
              <IndexTable.Row
                id={campaign.id}
                key={campaign.id}
                position={index}
                onClick={() => navigate(`/app/campaigns/${campaign.id}`)}
              >
                <IndexTable.Cell>
                  <Button
                    variant="plain"
                    url={`/app/campaigns/${campaign.id}`}
                    accessibilityLabel={`Edit ${campaign.name}`}
                  >
                    {campaign.name}
                  </Button>
                </IndexTable.Cell>
                <IndexTable.Cell>{campaign.summary}</IndexTable.Cell>
                <IndexTable.Cell>
                  {campaign.tiers.length ? campaign.tiers.join(", ") : "Every member"}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric>
                    {campaign.startsAt}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric>
                    {campaign.endsAt}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={CAMPAIGN_STATUS_BADGES[campaign.status].tone}>
                    {CAMPAIGN_STATUS_BADGES[campaign.status].label}
                  </Badge>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
