import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useEffect, useRef } from "react";
import { formatMoney } from "../domain/money";

/**
 * The charts are a picture of the figures in the "Show chart data as a table" table next to them,
 * which is what assistive technology gets: polaris-viz's SVG markup is not accessible (roles
 * without required children, unlabelled shapes), so it is made inert and hidden from it.
 */
function VisualOnly({ children, summary }: { children: ReactNode; summary: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // React 18 has no `inert` prop; set the attribute directly.
    ref.current?.setAttribute("inert", "");
  }, []);
  return (
    <>
      <Text as="p" visuallyHidden>
        {summary}
      </Text>
      <div ref={ref} aria-hidden="true" style={{ height: 260 }}>
        {children}
      </div>
    </>
  );
}

/**
 * polaris-viz measures the DOM (window, ResizeObserver), so this module is only loaded in the
 * browser, after hydration (see the dashboard route). Every chart has a text alternative there.
 */
export default function DashboardCharts({
  labels,
  issued,
  redeemed,
  memberRevenueMinor,
  guestRevenueMinor,
  currency,
  pointsName,
}: {
  labels: string[];
  issued: number[];
  redeemed: number[];
  memberRevenueMinor: number[];
  guestRevenueMinor: number[];
  currency: string;
  pointsName: string;
}) {
  const series = (name: string, values: number[]) => ({
    name,
    data: labels.map((key, i) => ({ key, value: values[i] ?? 0 })),
  });
  const moneyLabel = (value: string | number | null) => {
    const minor = typeof value === "number" ? Math.round(value) : Number(value ?? 0);
    return Number.isSafeInteger(minor) ? formatMoney(minor, currency) : "";
  };

  // Not animated: the entry animation's frames (60–80 ms each with 4× CPU throttling) ran into
  // the merchant's first input, a date range chosen just after load took 400 ms to paint
  // (issue #15, INP), and about 60 ms without them.
  return (
    <PolarisVizProvider>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              {`${pointsName[0]?.toUpperCase() ?? ""}${pointsName.slice(1)} issued and redeemed`}
            </Text>
            <VisualOnly summary="Line chart of points issued and redeemed per period; the figures are in the chart data table below.">
              <LineChart
                theme="Light"
                isAnimated={false}
                data={[series("Issued", issued), series("Redeemed", redeemed)]}
                yAxisOptions={{ integersOnly: true }}
              />
            </VisualOnly>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Revenue: members and guests
            </Text>
            <VisualOnly summary="Bar chart of revenue from members and from guests per period; the figures are in the chart data table below.">
              <BarChart
                theme="Light"
                isAnimated={false}
                data={[series("Members", memberRevenueMinor), series("Guests", guestRevenueMinor)]}
                yAxisOptions={{ labelFormatter: moneyLabel }}
                tooltipOptions={{ valueFormatter: moneyLabel }}
              />
            </VisualOnly>
          </BlockStack>
        </Card>
      </InlineGrid>
    </PolarisVizProvider>
  );
}
