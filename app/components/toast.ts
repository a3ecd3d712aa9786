import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback } from "react";

/** Toasts through App Bridge; a no-op where the admin's `shopify` global is missing. */
export function useToast() {
  const shopify = useAppBridge();
  return useCallback(
    (message: string, options?: { isError?: boolean }) => {
      try {
        shopify.toast.show(message, { isError: options?.isError });
      } catch {
        // Outside Shopify admin (no App Bridge): the page's own banners still say it.
      }
    },
    [shopify],
  );
}
