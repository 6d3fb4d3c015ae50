/**
 * Search CPU in workerd, the runtime a deployment uses: a small Worker (written next to the generated bridge) that
 * runs the bridge's own search code (src/discovery/search.ts) over the generated index, started in this process
 * with wrangler's `unstable_startWorker`. workerd's clock does not advance during computation (a Spectre
 * mitigation), so CPU is read from outside: the user + system time of the workerd processes of this process group
 * (/proc, scripts/proc.ts) around each request, divided by the searches it ran. Linux only; undefined elsewhere.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { unstable_startWorker } from "wrangler";
import { processStats } from "../proc.ts";

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

export interface WorkerdFigures {
  /** CPU of one search, in ms, per repetition. */
  searchMs: number[];
  /** CPU of parsing the index once (what the first search in an isolate pays), in ms, per repetition. */
  loadMs: number[];
}

export async function measureInWorkerd(dir: string, root: string, queries: readonly string[], repetitions: number): Promise<WorkerdFigures | undefined> {
  const group = processStats()?.find((stat) => stat.pid === process.pid)?.processGroup;
  if (group === undefined) return undefined;
  const src = relative(dir, join(root, "src")).split("\\").join("/");
  await writeFile(join(dir, "search-bench.ts"), workerSource(src));
  await writeFile(
    join(dir, "search-bench.wrangler.json"),
    JSON.stringify({ name: "search-bench", main: "search-bench.ts", compatibility_date: "2026-11-01", compatibility_flags: ["nodejs_compat"], send_metrics: false }),
  );
  const worker = await unstable_startWorker({
    config: join(dir, "search-bench.wrangler.json"),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, logLevel: "none", watch: false, persist: false },
  });
  try {
    await worker.ready;
    const url = await worker.url;
    const cpuMs = () => (processStats() ?? []).filter((s) => s.name === "workerd" && s.processGroup === group).reduce((sum, s) => sum + s.cpuTicks, 0) * (1000 / CLOCK_TICKS);
    const measure = async (path: string, body: unknown): Promise<{ ms: number; count: number }> => {
      const before = cpuMs();
      const response = await fetch(new URL(path, url), { method: "POST", body: JSON.stringify(body) });
      const { count } = (await response.json()) as { count: number };
      return { ms: cpuMs() - before, count };
    };
    await measure("/search", { queries, rounds: 1 }); // module evaluation, first parse, warm-up
    const figures: WorkerdFigures = { searchMs: [], loadMs: [] };
    for (let i = 0; i < repetitions; i++) {
      const search = await measure("/search", { queries, rounds: 20 });
      figures.searchMs.push(search.ms / search.count);
      const load = await measure("/parse", { times: 10 });
      figures.loadMs.push(load.ms / load.count);
    }
    return figures;
  } finally {
    await worker.dispose();
  }
}

function workerSource(src: string): string {
  return `// Written by npm run bench:search: the bridge's search over the generated index, timed from outside.
import MiniSearch from "minisearch";
import { discovery } from "./generated/discovery.ts";
import { searchOperations } from "${src}/discovery/search.ts";
import { INDEX_OPTIONS } from "${src}/discovery/terms.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const body = (await request.json()) as { queries?: string[]; rounds?: number; times?: number };
    if (!discovery) return new Response("not a discovery-mode bridge", { status: 500 });
    let count = 0;
    if (path === "/parse") {
      for (let i = 0; i < (body.times ?? 1); i++, count++) MiniSearch.loadJSON(discovery.index, INDEX_OPTIONS);
    } else {
      for (let r = 0; r < (body.rounds ?? 1); r++) for (const query of body.queries ?? []) count += searchOperations(discovery, query, () => true).length > -1 ? 1 : 0;
    }
    return Response.json({ count });
  },
};
`;
}
