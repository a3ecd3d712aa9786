/**
 * Where the machine's CPU goes during a load, from Linux's own accounting (/proc): the whole
 * machine, this process (autocannon runs in it), the web servers, the workers and PostgreSQL.
 * On two cores shared by all of them, a route's throughput is bounded by the CPU it takes per
 * request and by what the others leave it; these figures say which bound a result hit.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

export interface CpuPids {
  web: number[];
  worker: number[];
}

interface Reading {
  at: number;
  /** Machine-wide, in seconds of CPU. */
  busy: number;
  load: number;
  web: number;
  worker: number;
  postgres: number;
}

/** Seconds of CPU a process has used, and (for PostgreSQL's postmaster) its reaped children. */
function secondsOf(pid: number | string, withChildren = false): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0; // exited between the listing and the read
  }
  // Fields after the command name, which may hold spaces: field 3 (man 5 proc) is index 0.
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  const field = (n: number) => fields[n - 3] ?? 0;
  const own = field(14) + field(15); // utime, stime
  const reaped = withChildren ? field(16) + field(17) : 0; // cutime, cstime
  return (own + reaped) / TICKS_PER_SECOND;
}

/**
 * Every PostgreSQL process: backends while they live, and the postmaster's reaped children for
 * those that exited (counted there once gone), so the sum only grows.
 */
function postgresSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let comm: string;
    try {
      comm = fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    if (comm === "postgres") total += secondsOf(entry, true);
  }
  return total;
}

function machineBusySeconds(): number {
  // "cpu  user nice system idle iowait irq softirq steal …": all but idle and iowait is busy.
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (ticks[i] ?? 0), 0);
  return busy / TICKS_PER_SECOND;
}

function read(pids: CpuPids): Reading {
  const sum = (list: number[]) => list.reduce((total, pid) => total + secondsOf(pid), 0);
  return {
    at: performance.now(),
    busy: machineBusySeconds(),
    load: secondsOf(process.pid),
    web: sum(pids.web),
    worker: sum(pids.worker),
    postgres: postgresSeconds(),
  };
}

/** CPU used over a span, in cores (CPU seconds per second of wall time), and the span's length. */
export interface CpuUse {
  seconds: number;
  /** The whole machine, including anything not listed. */
  busy: number;
  /** This process: autocannon and the benchmark's own bookkeeping. */
  load: number;
  web: number;
  worker: number;
  postgres: number;
}

/** Starts measuring; the returned function ends the span and gives what it used. */
export function cpuMeter(pids: CpuPids): () => CpuUse {
  const start = read(pids);
  return () => {
    const end = read(pids);
    const seconds = (end.at - start.at) / 1000;
    const cores = (key: Exclude<keyof Reading, "at">) =>
      seconds > 0 ? (end[key] - start[key]) / seconds : 0;
    return {
      seconds,
      busy: cores("busy"),
      load: cores("load"),
      web: cores("web"),
      worker: cores("worker"),
      postgres: cores("postgres"),
    };
  };
}
