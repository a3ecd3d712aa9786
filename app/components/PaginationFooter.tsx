import { useSearchParams } from "@remix-run/react";
import { Box, InlineStack, Pagination } from "@shopify/polaris";

/**
 * Previous/next for a server-paginated list. The page number lives in the URL (`param`), so a
 * reload or a shared link keeps the page; nothing renders when everything fits on one page.
 */
export function PaginationFooter({
  page,
  hasNext,
  param = "page",
}: {
  page: number;
  hasNext: boolean;
  param?: string;
}) {
  const [params, setParams] = useSearchParams();
  if (page <= 1 && !hasNext) return null;
  const goTo = (target: number) => {
    const next = new URLSearchParams(params);
    next.set(param, String(target));
    setParams(next, { preventScrollReset: true });
  };
  return (
    <Box padding="400">
      <InlineStack align="center">
        <Pagination
          hasPrevious={page > 1}
          hasNext={hasNext}
          label={`Page ${page}`}
          onPrevious={() => goTo(page - 1)}
          onNext={() => goTo(page + 1)}
        />
      </InlineStack>
    </Box>
  );
}
