/**
 * A worker process that writes without pause, as the scheduled jobs do on a large shop: argv[2]
 * transactions, one after another, each inserting a `Program` row `busy-<n>.myshopify.com` and
 * holding the write lock ~10 ms (a job's reads and writes on a large shop). It prints `STARTED` after the first
 * and `RESULT {"done":n,"commits":[…]}` at the end, with the wall-clock time (ms, fractional) each
 * transaction had committed by. DATABASE_URL comes from the parent's environment.
 */
import prisma, { yieldWritesToWeb } from "../../app/db.server";

const count = Number(process.argv[2]);
const commits: number[] = [];
yieldWritesToWeb(); // as scripts/worker.mjs does
for (let n = 0; n < count; n += 1) {
  await prisma.$transaction(async (tx) => {
    await tx.program.create({ data: { shop: `busy-${n}.myshopify.com` } });
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
  commits.push(performance.timeOrigin + performance.now());
  if (n === 0) console.log("STARTED");
}
console.log(`RESULT ${JSON.stringify({ done: count, commits })}`);
await prisma.$disconnect();
process.exit(0);
