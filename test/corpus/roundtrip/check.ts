/**
 * The round-trip check of one tool call: the Request that was built is decoded by the raw spec (decode-request.ts),
 * every decoded parameter and the body are validated with ajv against the operation's own schemas
 * (spec-schemas.ts), and every argument given must come back out exactly (and nothing no argument gave may be
 * there). Shares no code with the request builder (src/tools/request.ts, serialize.ts) or the generator's model:
 * from the tool it reads only which input key goes to which parameter or body property (the binding's names).
 */
import type { ToolDefinition } from "../../../src/tools/types.ts";
import { isIgnoredHeader, isObject, type RawOperation } from "../raw-spec.ts";
import { setMember } from "./brackets.ts";
import { specBody, swagger2Schema } from "./spec-body.ts";
import { decodeRequest, placeKey, type DecodedRequest, type Problem } from "./decode-request.ts";
import type { SpecSchemas } from "./spec-schemas.ts";
import { readWire } from "./wire.ts";

export interface CheckInput {
  schemas: SpecSchemas;
  op: RawOperation;
  tool: ToolDefinition;
  /** The arguments as sampled (before the validator's parsing, which must not add anything). */
  args: Record<string, unknown>;
  request: Request;
  /** allowedBases() for the operation. */
  bases: readonly string[];
}

export async function checkRequest(input: CheckInput): Promise<Problem[]> {
  const { schemas, op } = input;
  const spec = schemas.spec;
  const decoded = decodeRequest(spec, op, await readWire(input.request), input.bases);
  const problems = [...decoded.problems];

  for (const parameter of op.parameters.filter((p) => !isIgnoredHeader(p))) {
    const value = decoded.values.get(placeKey(parameter.in, parameter.name));
    const where = `${parameter.in} parameter ${parameter.name}`;
    if (value === undefined) {
      if (parameter.required && parameter.in !== "path") problems.push({ code: "missing", detail: `required ${where} is not sent` });
      continue;
    }
    const schema = spec.version === "2.0" ? swagger2Schema(parameter.node) : parameter.schema;
    for (const message of schemas.problems(schema, structuredClone(value), !parameter.json)) problems.push({ code: "schema", detail: `${where}: ${message}` });
  }
  const body = decoded.body;
  const bodySchema = body?.matched.media["schema"];
  if (body && isObject(bodySchema)) {
    for (const message of schemas.problems(bodySchema, structuredClone(body.value), body.coerce)) problems.push({ code: "schema", detail: `body ${body.as}: ${message}` });
  }
  problems.push(...argumentProblems(input, decoded));
  return problems;
}

/** Every argument must come back out as given, and nothing else may be there. */
function argumentProblems({ schemas, op, tool, args }: CheckInput, decoded: DecodedRequest): Problem[] {
  const problems: Problem[] = [];
  const bound = new Set<string>();
  for (const binding of tool.http.parameters) {
    const place = placeKey(binding.in, binding.name);
    bound.add(place);
    if (decoded.unreadable.has(place)) continue;
    const given = Object.hasOwn(args, binding.key) ? args[binding.key] : undefined;
    const sent = decoded.values.get(place);
    const mode = op.parameters.find((p) => placeKey(p.in, p.name) === place)?.json ? "typed" : "text";
    compare(problems, `${binding.in} parameter ${binding.name} (argument ${binding.key})`, sent, given, mode);
  }
  for (const [place, value] of decoded.values) {
    if (!bound.has(place)) problems.push({ code: "invented", detail: `${place} is sent (${show(value)}) but no argument gives it` });
  }
  const body = tool.http.body;
  if (decoded.unreadable.has("body")) return problems;
  const given = body === undefined ? undefined : "key" in body.from ? args[body.from.key] : spreadBody(body.from.spread, args);
  const sent = decoded.body?.value;
  // A required body whose schema requires nothing is `{}` when no argument gives one (issue 10, class 6).
  const emptyRequired = given === undefined && isEmpty(sent) && specBody(schemas.spec, op)?.required === true;
  if (body === undefined && sent !== undefined) problems.push({ code: "invented", detail: "a body is sent but the tool takes none" });
  else if (emptyRequired) return problems;
  else if (given === undefined && sent !== undefined && !isEmpty(sent)) problems.push({ code: "invented", detail: `a body is sent (${show(sent)}) but no argument gives one` });
  else compare(problems, "the body", sent, given, decoded.body?.as === "json" ? "typed" : "text");
  return problems;
}

function spreadBody(spread: readonly { key: string; name: string }[], args: Record<string, unknown>): Record<string, unknown> | undefined {
  const present = spread.filter((entry) => Object.hasOwn(args, entry.key) && args[entry.key] !== undefined);
  if (present.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const entry of present) setMember(out, entry.name, args[entry.key]);
  return out;
}

function compare(problems: Problem[], where: string, sent: unknown, given: unknown, mode: "typed" | "text"): void {
  if (given === undefined) {
    if (sent !== undefined) problems.push({ code: "invented", detail: `${where} is sent (${show(sent)}) but was not given` });
    return;
  }
  if (sent === undefined) {
    if (!isEmpty(given)) problems.push({ code: "dropped", detail: `${where} is given (${show(given)}) but not sent` });
    return;
  }
  const difference = differs(sent, given, mode, "");
  if (difference !== undefined) problems.push({ code: "dropped", detail: `${where} comes back different${difference}: sent ${show(sent)}, given ${show(given)}` });
}

/**
 * Where `sent` (decoded) and `given` (the argument) differ, or undefined. In `text` mode a scalar is compared with
 * its text (a query has no types: `3` comes back as "3"); an empty list or object given may come back absent
 * (RFC 6570 §2.3: such values are undefined and not sent).
 */
function differs(sent: unknown, given: unknown, mode: "typed" | "text", at: string): string | undefined {
  if (Array.isArray(given)) {
    if (!Array.isArray(sent)) return ` at ${at || "/"} (a list was given)`;
    if (sent.length !== given.length) return ` at ${at || "/"} (${given.length} items given, ${sent.length} sent)`;
    for (let i = 0; i < given.length; i++) {
      const found = differs(sent[i], given[i], mode, `${at}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (isObject(given)) {
    if (!isObject(sent)) return ` at ${at || "/"} (an object was given)`;
    for (const [name, member] of Object.entries(given)) {
      if (member === undefined) continue;
      if (!Object.hasOwn(sent, name)) {
        if (isEmpty(member)) continue;
        return ` at ${at}/${name} (not sent)`;
      }
      const found = differs(sent[name], member, mode, `${at}/${name}`);
      if (found) return found;
    }
    const extra = Object.keys(sent).find((name) => !Object.hasOwn(given, name));
    return extra === undefined ? undefined : ` at ${at}/${extra} (sent, not given)`;
  }
  if (sent === given) return undefined;
  if (mode === "text" && typeof sent === "string" && sent === scalarText(given)) return undefined;
  return ` at ${at || "/"}`;
}

function scalarText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
