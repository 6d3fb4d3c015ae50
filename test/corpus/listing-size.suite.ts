/**
 * The concise listing's size counted without making it (conciseListingSize: what `auto` reports when it switches to
 * discovery) held to the UTF-8 length of the concise listing's JSON on every corpus spec's model, with each
 * `outputSchemas` the concise listing treats differently. The models are the ones the other suites generate.
 */
import { describe, expect, it } from "vitest";
import { conciseListing, conciseListingSize, listToolsAs } from "../../scripts/generator/emit/tools.ts";
import type { Model } from "../../scripts/generator/model/types.ts";
import { listingSize } from "../../scripts/generator/report.ts";
import { CORPORA, DIRECTORY_CORPORA } from "./corpora.ts";
import { CORPUS_GROUP, generated } from "./generated.ts";

describe.each([...CORPORA, ...DIRECTORY_CORPORA])("concise listing size, corpus $name", (corpus) => {
  it.each(["auto", "full"] as const)("is the concise listing's JSON length (outputSchemas: %s)", async (outputSchemas) => {
    const { model: generatedModel } = (await generated(CORPUS_GROUP, corpus)).result;
    const model: Model = { ...generatedModel, config: { ...generatedModel.config, tools: { ...generatedModel.config.tools, outputSchemas } } };
    const full = listToolsAs(model, "full");
    expect(conciseListingSize(model, full)).toEqual(listingSize(conciseListing(model, full).listed));
  });
});
