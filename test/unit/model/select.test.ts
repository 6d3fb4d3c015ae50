import { describe, expect, it } from "vitest";
import type { ToolSelector } from "../../../scripts/generator/config/schema.ts";
import { isSelected, pathGlob, type OperationRef } from "../../../scripts/generator/model/select.ts";

describe("pathGlob", () => {
  it.each<[string, string, string, boolean]>([
    ["literal path", "/api/todos", "/api/todos", true],
    ["literal path is anchored at the end", "/api/todos", "/api/todos/{id}", false],
    ["literal path is anchored at the start", "/todos", "/api/todos", false],
    ["{param} matches itself literally", "/api/todos/{id}", "/api/todos/{id}", true],
    ["{param} is not a wildcard", "/api/todos/{id}", "/api/todos/{todoId}", false],
    ["* matches one segment", "/api/*", "/api/todos", true],
    ["* matches a templated segment", "/api/todos/*", "/api/todos/{id}", true],
    ["* does not cross segments", "/api/*", "/api/todos/{id}", false],
    ["* inside a segment", "/api/todo*", "/api/todos", true],
    ["* inside a segment stays in it", "/api/todo*", "/api/todos/{id}", false],
    ["** crosses segments", "/api/**", "/api/todos/{id}/items", true],
    ["** matches one segment too", "/api/**", "/api/todos", true],
    ["** at the start", "**/items", "/api/todos/{id}/items", true],
    ["** in the middle", "/api/**/items", "/api/todos/{id}/items", true],
    ["** in the middle needs the rest", "/api/**/items", "/api/todos/{id}", false],
    ["regex characters are literal: .", "/v1.0/*", "/v1x0/things", false],
    ["regex characters are literal: . matches .", "/v1.0/*", "/v1.0/things", true],
    ["regex characters are literal: + ( )", "/a+(b)", "/a+(b)", true],
    ["regex characters are literal: $", "/$metadata", "/$metadata", true],
  ])("%s: %s vs %s", (_name, glob, path, want) => {
    expect(pathGlob(glob).test(path)).toBe(want);
  });
});

describe("isSelected", () => {
  const list: OperationRef = { operationId: "listTodos", method: "GET", path: "/api/todos", tags: ["todos"] };
  const remove: OperationRef = { operationId: "deleteTodo", method: "DELETE", path: "/api/todos/{id}", tags: ["todos", "admin"] };
  const health: OperationRef = { operationId: "health", method: "GET", path: "/health", tags: [] };

  it.each<[string, [ToolSelector | undefined, ToolSelector | undefined], [boolean, boolean, boolean]]>([
    ["no include and no exclude: everything", [undefined, undefined], [true, true, true]],
    ["include by operationId", [{ operations: ["listTodos"] }, undefined], [true, false, false]],
    ["include by tag", [{ tags: ["todos"] }, undefined], [true, true, false]],
    ["include by path glob", [{ paths: ["/api/*"] }, undefined], [true, false, false]],
    ["include by method (lower-case in bridge.yaml)", [{ methods: ["delete"] }, undefined], [false, true, false]],
    ["include criteria are alternatives", [{ tags: ["admin"], operations: ["health"] }, undefined], [false, true, true]],
    ["exclude by tag", [undefined, { tags: ["admin"] }], [true, false, true]],
    ["exclude by path glob", [undefined, { paths: ["/api/**"] }], [false, false, true]],
    ["exclude by method", [undefined, { methods: ["get"] }], [false, true, false]],
    ["exclude wins over include", [{ tags: ["todos"] }, { operations: ["deleteTodo"] }], [true, false, false]],
    ["an empty exclude excludes nothing", [undefined, {}], [true, true, true]],
  ])("%s", (_name, [include, exclude], want) => {
    expect([list, remove, health].map((op) => isSelected(op, include, exclude))).toEqual(want);
  });
});
