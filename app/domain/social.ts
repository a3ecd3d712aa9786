/**
 * Points for following the shop on social networks. Nothing can check that a shopper follows:
 * the points are given when the shopper opens the shop's page from the widget, once per network,
 * and both the admin and the widget say so. docs/engagement.md.
 */

export const SOCIAL_NETWORKS = [
  { id: "instagram", label: "Instagram", hosts: ["instagram.com"] },
  { id: "tiktok", label: "TikTok", hosts: ["tiktok.com"] },
  { id: "facebook", label: "Facebook", hosts: ["facebook.com", "fb.com"] },
  { id: "x", label: "X", hosts: ["x.com", "twitter.com"] },
  { id: "youtube", label: "YouTube", hosts: ["youtube.com"] },
  { id: "pinterest", label: "Pinterest", hosts: ["pinterest.com"] },
] as const;

export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number]["id"];

/** A type, not an interface: it is stored in a Json column. */
export type SocialFollow = { network: SocialNetwork; url: string; points: number };

export function socialNetwork(id: unknown) {
  return SOCIAL_NETWORKS.find((n) => n.id === id) ?? null;
}

/** Why a page address is not the network's (https, on its domain), or null when it is. */
export function socialUrlError(network: SocialNetwork, url: string): string | null {
  const { label, hosts } = socialNetwork(network)!;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Enter the full address of your ${label} page, starting with https://`;
  }
  const host = parsed.hostname.toLowerCase();
  const onNetwork = hosts.some((h) => host === h || host.endsWith(`.${h}`));
  if (parsed.protocol !== "https:" || !onNetwork) return `Enter an https:// address on ${hosts[0]}`;
  return null;
}

/** The follows stored on a program, dropping anything malformed (a hand-edited row). */
export function parseSocialFollows(value: unknown): SocialFollow[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): SocialFollow[] => {
    if (!item || typeof item !== "object") return [];
    const { network, url, points } = item as Record<string, unknown>;
    const known = socialNetwork(network);
    if (!known || typeof url !== "string" || socialUrlError(known.id, url)) return [];
    if (!Number.isInteger(points) || (points as number) <= 0) return [];
    return [{ network: known.id, url, points: points as number }];
  });
}

/** One follow bonus per member and network, whatever the widget sends. */
export function followKey(memberId: string, network: SocialNetwork): string {
  return `follow:${memberId}:${network}`;
}
