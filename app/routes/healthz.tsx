import prisma from "../db.server";

// For load balancers and uptime checks: 200 only when the database answers a query.
export const loader = async () => {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("healthz: database check failed", error);
    return Response.json(
      { status: "error", error: "database unavailable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
};
