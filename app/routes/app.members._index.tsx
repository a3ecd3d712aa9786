import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  useLoaderData,
  useLocation,
  useNavigate,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import type { IndexFiltersProps } from "@shopify/polaris";
import {
  Badge,
  Card,
  ChoiceList,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { memo, useCallback, useEffect, useRef, useState } from "react";
import { listMembers } from "../admin/members.server";
import { formatDate, formatNumber } from "../components/format";
import { MEMBERS_PAGE_SIZE, MEMBERS_SORTS, parseMembersQuery } from "../domain/members-query";
import membersTableStyles from "../components/members-table.css";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: membersTableStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listMembers(session.shop, parseMembersQuery(new URL(request.url).searchParams));
};

export const meta: MetaFunction = () => [{ title: "Members · Loyalty" }];

export default function MembersPage() {
  const data = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const navigation = useNavigation();
  const location = useLocation();
  const [query, setQuery] = useState(data.query.q);
  const debounce = useRef<ReturnType<typeof setTimeout>>();

  // The query string last asked for, until its navigation settles. React's `params` and
  // `navigation` move only when the page re-renders, and a search whose timer fires in between
  // (a slow machine, a slow loader) would rebuild the URL without a sort just chosen (seen in CI).
  const requested = useRef<string | null>(null);
  useEffect(() => {
    if (navigation.state === "idle") requested.current = null;
  }, [location.key, navigation.state]);
  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(requested.current ?? window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      // A new search, filter or sort starts from the first page.
      for (const key of ["page", "after", "before"]) if (!(key in changes)) next.delete(key);
      requested.current = next.toString();
      setParams(next, { preventScrollReset: true });
    },
    [setParams],
  );
  // Pages move by cursor (the first or last member shown); page 1 needs none.
  const toPage = useCallback(
    (page: number, cursor: { after: string } | { before: string }) =>
      update(
        page === 1
          ? { page: null, after: null, before: null }
          : { page: String(page), after: null, before: null, ...cursor },
      ),
    [update],
  );

  // Search as the merchant types, without a request per keystroke.
  useEffect(() => () => clearTimeout(debounce.current), []);
  const onQueryChange = (value: string) => {
    setQuery(value);
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => update({ q: value.trim() }), 300);
  };

  const tierChoices = [
    ...data.tiers.map((tier) => ({ label: tier.name, value: tier.id })),
    { label: "No tier", value: "none" },
  ];
  const tierLabel = tierChoices.find((c) => c.value === data.query.tier)?.label;
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "tier",
      label: "Tier",
      shortcut: true,
      filter: (
        <ChoiceList
          title="Tier"
          titleHidden
          choices={tierChoices}
          selected={data.query.tier ? [data.query.tier] : []}
          onChange={(selected) => update({ tier: selected[0] ?? null })}
        />
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = data.query.tier
    ? [
        {
          key: "tier",
          label: `Tier: ${tierLabel ?? "unknown"}`,
          onRemove: () => update({ tier: null }),
        },
      ]
    : [];
  // A search stops counting at MEMBERS_COUNT_CAP matches.
  const total = `${formatNumber(data.total)}${data.totalCapped ? "+" : ""}`;

  return (
    <Page
      title="Members"
      subtitle={`${total} ${data.total === 1 && !data.totalCapped ? "member" : "members"}${data.query.q || data.query.tier ? " match" : ""}`}
      primaryAction={{ content: "Import balances", url: "/app/import" }}
      secondaryActions={[{ content: "Explain an order", url: "/app/orders" }]}
    >
      <Card padding="0">
        <IndexFilters
          queryValue={query}
          queryPlaceholder="Search by email, name or customer ID"
          onQueryChange={onQueryChange}
          onQueryClear={() => onQueryChange("")}
          sortOptions={MEMBERS_SORTS.map((s) => ({
            label: s.label,
            value: s.value,
            directionLabel: s.label,
          }))}
          sortSelected={[data.query.sort]}
          onSort={(selected) => update({ sort: selected[0] ?? null })}
          tabs={[{ id: "all", content: "All members", isLocked: true }]}
          selected={0}
          onSelect={() => {}}
          canCreateNewView={false}
          filters={filters}
          appliedFilters={appliedFilters}
          onClearAll={() => {
            setQuery("");
            update({ q: null, tier: null });
          }}
          // Always searching: the list has one view, so there are no tabs to show instead, and
          // switching modes to open the search was the page's slowest interaction (issue #15:
          // 328 ms INP with 4× CPU throttling).
          mode={IndexFiltersMode.Filtering}
          setMode={() => {}}
          loading={navigation.state === "loading"}
        />
        <MembersTable data={data} total={total} toPage={toPage} />
      </Card>
    </Page>
  );
}

/**
 * The table, apart from the search so that a keystroke, which re-renders the page, does not
 * re-render 50 rows as well.
 */
const MembersTable = memo(function MembersTable({
  data,
  total,
  toPage,
}: {
  data: ReturnType<typeof useLoaderData<typeof loader>>;
  total: string;
  toPage: (page: number, cursor: { after: string } | { before: string }) => void;
}) {
  const navigate = useNavigate();
  const first = (data.query.page - 1) * MEMBERS_PAGE_SIZE + 1;
  const last = first + data.members.length - 1;
  const pointsName = data.pointsName.other;
  return (
    <div className="members-list">
      <IndexTable
        resourceName={{ singular: "member", plural: "members" }}
        itemCount={data.members.length}
        selectable={false}
        emptyState={
          <Text as="p" alignment="center" tone="subdued">
            {data.query.q || data.query.tier
              ? "No members match. Try another search or filter."
              : "No members yet. Customers become members when they sign up or place an order."}
          </Text>
        }
        headings={[
          { title: "Member" },
          { title: "Email" },
          { title: "Tier" },
          { title: `Balance (${pointsName})`, alignment: "end" },
          { title: "Pending", alignment: "end" },
          { title: "Joined" },
        ]}
        pagination={{
          hasPrevious: data.hasPrevious,
          hasNext: data.hasNext,
          onPrevious: () => toPage(data.query.page - 1, { before: data.members[0]?.id ?? "" }),
          onNext: () => toPage(data.query.page + 1, { after: data.members.at(-1)?.id ?? "" }),
          label: data.members.length
            ? `${formatNumber(first)}–${formatNumber(last)} of ${total}`
            : undefined,
        }}
      >
        {data.members.map((member, index) => (
          <IndexTable.Row
            id={member.id}
            key={member.id}
            position={index}
            onClick={() => navigate(`/app/members/${member.id}`)}
          >
            <IndexTable.Cell>
              <Link url={`/app/members/${member.id}`} removeUnderline>
                {member.name}
              </Link>
            </IndexTable.Cell>
            <IndexTable.Cell>{member.email ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              {member.tier ? (
                <Badge>{member.tier}</Badge>
              ) : (
                <Text as="span" tone="subdued">
                  No tier
                </Text>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {formatNumber(member.balance)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {formatNumber(member.pendingPoints)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{formatDate(member.joinedAt)}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </div>
  );
});
