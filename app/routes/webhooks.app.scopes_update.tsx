import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import prisma from "../db.server";

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, session } = await authenticate.webhook(request);
  const parsed = scopesUpdatePayload.safeParse(payload);
  if (session && parsed.success) {
    await prisma.session.update({
      where: { id: session.id },
      data: { scope: parsed.data.current.join(",") },
    });
  }
  return new Response();
};
