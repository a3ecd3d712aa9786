import { BlockStack, Button, InlineError, InlineStack, Tag, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useState } from "react";
import type { PickedResource } from "../domain/campaigns";

/** Polaris Tags in a row, as a list a screen reader can count. */
const CHOSEN_LIST = {
  display: "flex",
  flexWrap: "wrap",
  gap: "var(--p-space-200)",
  listStyle: "none",
  margin: 0,
  padding: 0,
} as const;

export function pickedResources(json: string): PickedResource[] {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? (list as PickedResource[]) : [];
  } catch {
    return [];
  }
}

/**
 * What a pick is called. A variant's own title is "Brown", or "Default Title" for a product
 * without options; shown alone it must name its product: "Leather Wallet - Brown", but
 * "Trail Mug" rather than Shopify's displayName "Trail Mug - Default Title".
 */
function pickedTitle(item: {
  title: string;
  displayName?: string;
  product?: { title?: string };
}): string {
  if (item.displayName === undefined) return item.title;
  if (item.title === "Default Title" && item.product?.title) return item.product.title;
  return item.displayName || item.title;
}

/**
 * The products or collections something (a campaign, a reward) is limited to, or the variant a
 * reward gives, chosen with Shopify admin's own resource picker (App Bridge), each removable.
 */
export function ResourceChoice(props: {
  type: "product" | "variant" | "collection";
  /** Also the button's noun: "Choose collections". */
  label: string;
  /** The most that may be chosen. */
  max: number;
  /** Prefix of the button's id (the error names it). */
  idPrefix: string;
  value: string;
  onChange: (json: string) => void;
  error?: string;
}) {
  const shopify = useAppBridge();
  const chosen = pickedResources(props.value);
  const { max } = props;
  const [failed, setFailed] = useState(false);
  const choose = async () => {
    setFailed(false);
    try {
      const selection = await shopify.resourcePicker({
        type: props.type,
        action: "select",
        multiple: max,
        selectionIds: chosen.map((item) => ({ id: item.id })),
        ...(props.type === "product" && { filter: { variants: false } }),
      });
      // Cancelled: nothing changes.
      if (!selection) return;
      // Those kept first, in their order, so confirming the same choice changes nothing.
      const picks = selection.map((item) => ({ id: item.id, title: pickedTitle(item) }));
      const kept = chosen.filter((item) => picks.some((p) => p.id === item.id));
      const added = picks.filter((p) => !chosen.some((item) => item.id === p.id));
      props.onChange(JSON.stringify([...kept, ...added]));
    } catch {
      setFailed(true);
    }
  };
  const noun = props.label.toLowerCase();
  const id = `${props.idPrefix}-${noun}`;
  const error = props.error ?? (failed ? `The ${noun} could not be listed; try again` : undefined);
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Button
          id={id}
          onClick={() => void choose()}
          ariaDescribedBy={error ? `${id}Error` : undefined}
        >{`Choose ${noun}`}</Button>
        {chosen.length && max > 1 ? (
          <Text as="span" tone="subdued">{`${chosen.length} of up to ${max}`}</Text>
        ) : null}
      </InlineStack>
      {chosen.length ? (
        <ul aria-label={props.label} style={CHOSEN_LIST}>
          {chosen.map((item) => (
            <li key={item.id}>
              <Tag
                onRemove={() =>
                  props.onChange(JSON.stringify(chosen.filter((other) => other.id !== item.id)))
                }
                accessibilityLabel={`Remove ${item.title}`}
              >
                {item.title}
              </Tag>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <InlineError message={error} fieldID={id} /> : null}
    </BlockStack>
  );
}
