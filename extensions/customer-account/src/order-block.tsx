/** @jsxImportSource preact */
// See page.tsx for why the pragma.
import { useEffect, useState } from "preact/hooks";
import type { Client, OrderPoints } from "./api";
import type { OrderHost, Host } from "./host";
import { textFor } from "./text";

/**
 * The customer-account.order-status.block.render target: the points this order earned. It shows
 * nothing while loading, for an order that earned none, or when the app cannot be reached: the
 * order's own page should not carry an error about a side program.
 */
export function OrderPointsBlock({ host, client }: { host: OrderHost; client: Client | null }) {
  const orderId = host.order.value?.id;
  const [earned, setEarned] = useState<OrderPoints | null>(null);

  useEffect(() => {
    if (!client || !orderId) return;
    let live = true;
    client.orderPoints(orderId).then(
      (points) => live && setEarned(points),
      (error: unknown) => {
        console.warn("Loyalty: could not load the order's points", error);
      },
    );
    return () => {
      live = false;
    };
  }, [client, orderId]);

  return earned ? <OrderPointsView host={host} earned={earned} /> : null;
}

export function OrderPointsView({ host, earned }: { host: Host; earned: OrderPoints }) {
  const { t, points, date } = textFor(host);
  if (earned.points <= 0 && earned.pendingPoints <= 0) return null;
  return (
    <s-section heading={t("order.heading")}>
      <s-stack gap="small-200">
        {earned.points > 0 && (
          <s-text>{t("order.earned", { points: points(earned.points) })}</s-text>
        )}
        {earned.pendingPoints > 0 && (
          <s-text color={earned.points > 0 ? "subdued" : "base"}>
            {earned.releaseDate
              ? t("order.pending_on", {
                  points: points(earned.pendingPoints),
                  date: date(earned.releaseDate),
                })
              : t("order.pending", { points: points(earned.pendingPoints) })}
          </s-text>
        )}
      </s-stack>
    </s-section>
  );
}
