/**
 * Shared defaults for the model tests (as openapi-typescript's `test/test-helpers.ts`): small documents per spec
 * version and a registry over them, so each table row only states what it is about.
 */
import { createSchemaRegistry, type SchemaRegistry } from "../../../scripts/generator/model/schema.ts";
import type { Schema, SpecVersion } from "../../../scripts/generator/model/types.ts";
import type { SpecDocument } from "../../../scripts/generator/spec/load.ts";

/** A document of `version` whose named schemas are `schemas` (under `definitions` for 2.0). */
export function documentWith(version: SpecVersion, schemas: Record<string, unknown> = {}, extra: SpecDocument = {}): SpecDocument {
  const info = { title: "Test", version: "1" };
  if (version === "2.0") return { swagger: "2.0", info, paths: {}, definitions: schemas, ...extra };
  return {
    openapi: version === "3.0" ? "3.0.3" : "3.1.0",
    info,
    paths: {},
    components: { schemas, ...((extra["components"] as object | undefined) ?? {}) },
    ...Object.fromEntries(Object.entries(extra).filter(([key]) => key !== "components")),
  };
}

export function registryFor(version: SpecVersion, schemas: Record<string, unknown> = {}, extra: SpecDocument = {}): SchemaRegistry {
  return createSchemaRegistry(documentWith(version, schemas, extra), version);
}

/** `#/components/schemas/<name>` (3.x) or `#/definitions/<name>` (2.0). */
export function refTo(version: SpecVersion, name: string): { $ref: string } {
  return { $ref: version === "2.0" ? `#/definitions/${name}` : `#/components/schemas/${name}` };
}

/** The model's reference to a named schema. */
export function defRef(name: string): Schema {
  return { $ref: `#/$defs/${name}` };
}

/** A plain object of the defs of one direction, for `toEqual`. */
export function defsOf(registry: SchemaRegistry, direction: "input" | "output"): Record<string, Schema> {
  return Object.fromEntries(registry.defs[direction]);
}
