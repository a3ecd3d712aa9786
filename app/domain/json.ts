/**
 * JSON.parse for bodies Shopify signs. Ids are 64-bit and Shopify's own samples carry ids above
 * 2^53, which JSON.parse would round to a different id: integers beyond the safe range are kept
 * as their digits (a string). Text fields may hold lone UTF-16 surrogates that no database can
 * store; they become U+FFFD. Throws SyntaxError for malformed JSON and RangeError for nesting so
 * deep that it cannot be walked.
 */
export function parseShopifyJson(text: string): unknown {
  return JSON.parse(
    text,
    function revive(this: unknown, _key, value, context?: { source?: string }) {
      if (typeof value === "number") {
        const source = context?.source;
        if (!Number.isSafeInteger(value) && source && /^-?\d+$/.test(source)) return source;
        return value;
      }
      if (typeof value === "string") return value.toWellFormed();
      return value;
    },
  );
}

/** JSON.parse, or null for text that is not JSON: for input whose shape is checked afterwards. */
export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
