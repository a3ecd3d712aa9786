import { createClient } from "./api";
import type { Client } from "./api";
import { appUrl } from "./host";
import type { Host } from "./host";

/** The backend client for a target, or null when the build did not say where the app is. */
export function clientFor(host: Host, url = appUrl()): Client | null {
  if (!url) return null;
  return createClient({
    appUrl: url,
    token: () => host.sessionToken.get(),
    fallbackMessage: host.i18n.translate("errors.generic"),
  });
}
