import { useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback, useEffect } from "react";

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

/**
 * A redirect cannot carry action data, so an action that redirects (a reward created or deleted)
 * names what happened in `?done=`; the page it lands on toasts it once and drops the parameter.
 * Only the messages listed here can be shown, whatever the URL says.
 */
export const DONE_MESSAGES = {
  "reward-created": "Reward created",
  "reward-deleted": "Reward deleted",
  "campaign-created": "Campaign created",
  "campaign-deleted": "Campaign deleted",
} as const;

export function doneUrl(path: string, done: keyof typeof DONE_MESSAGES) {
  return `${path}${path.includes("?") ? "&" : "?"}done=${done}`;
}

export function useDoneToast() {
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const done = params.get("done");
  useEffect(() => {
    if (!done) return;
    const message = DONE_MESSAGES[done as keyof typeof DONE_MESSAGES];
    if (message) toast(message);
    setParams(
      (current) => {
        current.delete("done");
        return current;
      },
      { replace: true, preventScrollReset: true },
    );
  }, [done, setParams, toast]);
}
