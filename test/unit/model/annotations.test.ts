import { describe, expect, it } from "vitest";
import { annotationsFor } from "../../../scripts/generator/model/annotations.ts";
import type { HttpMethod, ToolAnnotations } from "../../../src/tools/types.ts";

describe("annotationsFor: from the method (RFC 9110 §9.2)", () => {
  it.each<[HttpMethod, ToolAnnotations]>([
    ["GET", { readOnlyHint: true }],
    ["HEAD", { readOnlyHint: true }],
    ["OPTIONS", { readOnlyHint: true }],
    // RFC 9110 §9.2.1: GET, HEAD, OPTIONS and TRACE are safe.
    ["TRACE", { readOnlyHint: true }],
    ["POST", { readOnlyHint: false }],
    ["PATCH", { readOnlyHint: false }],
    ["PUT", { readOnlyHint: false, idempotentHint: true }],
    ["DELETE", { readOnlyHint: false, destructiveHint: true, idempotentHint: true }],
  ])("%s", (method, want) => {
    expect(annotationsFor(method)).toEqual(want);
  });
});

describe("annotationsFor: bridge.yaml overrides win", () => {
  it.each<[string, [HttpMethod, ToolAnnotations], ToolAnnotations]>([
    ["a GET that changes state", ["GET", { readOnlyHint: false }], { readOnlyHint: false }],
    ["a DELETE that is not destructive", ["DELETE", { destructiveHint: false }], { readOnlyHint: false, destructiveHint: false, idempotentHint: true }],
    [
      "hints the method does not imply are added",
      ["POST", { idempotentHint: true, openWorldHint: false, title: "Search" }],
      { readOnlyHint: false, idempotentHint: true, openWorldHint: false, title: "Search" },
    ],
    ["an empty override changes nothing", ["PUT", {}], { readOnlyHint: false, idempotentHint: true }],
  ])("%s", (_name, [method, override], want) => {
    expect(annotationsFor(method, override)).toEqual(want);
  });
});
