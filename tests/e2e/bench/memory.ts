// The memory of the app as the benchmarks measure it: the proportional set size (PSS) of the app
// and its WebKit processes (one app runs at a time under the benchmarks).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { appBinary } from "../harness";

/** PSS (MiB) of the app and its WebKit processes. */
export function pssMiB(): number {
  return Object.values(pssByProcess()).reduce((a, b) => a + b, 0);
}

/** The same, process by process (name → MiB). */
export function pssByProcess(): Record<string, number> {
  const pids = execFileSync("sh", ["-c", `pgrep -f '^${appBinary}( |$)|WebKitWebProcess|WebKitNetworkProcess' || true`], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  const by: Record<string, number> = {};
  for (const pid of pids) {
    try {
      const line = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("Pss:"));
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      by[name] = (by[name] ?? 0) + Number(line?.split(/\s+/)[1] ?? 0) / 1024;
    } catch {
      // gone meanwhile
    }
  }
  return by;
}
