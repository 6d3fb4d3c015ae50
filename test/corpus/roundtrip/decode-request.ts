/**
 * A raw HTTP request decoded by one operation of the raw spec: method, server and path template (OpenAPI 3.1.1
 * §4.8.2 Path Templating), then every parameter from its place (path, query, header, cookie) by its style, and the
 * body. Whatever the request carries that the operation does not define (a query pair, a header, a cookie, a form
 * field) is a problem too. The values come out as decoded text; check.ts validates and compares them.
 */
import { isIgnoredHeader, type RawOperation, type RawParameter, type RawSpec } from "../raw-spec.ts";
import { decodeBody, type DecodedBody } from "./decode-body.ts";
import { specBody } from "./spec-body.ts";
import { decodeHeaderText, decodePathText } from "./path-header-styles.ts";
import { decodePairField, decodePairs, decodeSpreadObject, type Decoded, type Field, type Pair } from "./styles.ts";
import { shapesOf } from "./shapes.ts";
import { DecodeError, type Wire } from "./wire.ts";

export type ProblemCode =
  | "listed" // the tool's listed input schema is broken (a client validating with it fails)
  | "unsampled" // no arguments that the listed schema accepts could be made: the case is not checked
  | "refused" // the tool's validator or the request builder refused arguments the listed schema allows
  | "unsendable" // the request plan cannot become a fetch Request
  | "method"
  | "server"
  | "path"
  | "parameter" // a parameter's wire form does not follow its style
  | "missing" // a required parameter or body is not sent
  | "unexpected" // something sent that the operation does not define
  | "body" // the body cannot be read as the spec says (Content-Type, encoding)
  | "schema" // a decoded value fails the spec's schema
  | "dropped" // an argument given is not in the request, or differs
  | "invented"; // the request carries a value no argument gave

export interface Problem {
  readonly code: ProblemCode;
  readonly detail: string;
}

export interface DecodedRequest {
  /** By `placeKey(in, name)`. */
  readonly values: ReadonlyMap<string, Decoded>;
  readonly body: DecodedBody | undefined;
  readonly problems: readonly Problem[];
  /** Places (`placeKey`, or `body`) whose wire form could not be read: already a problem, not compared again. */
  readonly unreadable: ReadonlySet<string>;
}

/** Header names compare case-insensitively (RFC 9110 §5.1). */
export function placeKey(location: string, name: string): string {
  return `${location} ${location === "header" ? name.toLowerCase() : name}`;
}

export function fieldOf(parameter: RawParameter): Field {
  return { name: parameter.name, style: parameter.style, explode: parameter.explode, schema: parameter.schema, json: parameter.json };
}

/** Headers a request may carry besides the operation's parameters: Accept (response negotiation) only. */
const FREE_HEADERS = new Set(["accept"]);

export function decodeRequest(spec: RawSpec, op: RawOperation, wire: Wire, bases: readonly string[]): DecodedRequest {
  const problems: Problem[] = [];
  const values = new Map<string, Decoded>();
  const unreadable = new Set<string>();
  const attempt: Attempt = (code, places, run) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      problems.push({ code, detail: error.message });
      for (const place of places) unreadable.add(place);
    }
  };
  const parameters = op.parameters.filter((p) => !isIgnoredHeader(p));
  const at = (location: string): RawParameter[] => parameters.filter((p) => p.in === location);
  const places = (list: RawParameter[]): string[] => list.map((p) => placeKey(p.in, p.name));

  if (wire.method !== op.method) problems.push({ code: "method", detail: `sent ${wire.method}, the operation is ${op.method}` });
  if (wire.url.hash !== "") problems.push({ code: "path", detail: `the URL carries a fragment ${wire.url.hash}` });
  if (!decodePath(spec, op, wire, bases, at("path"), values, problems, attempt)) for (const place of places(at("path"))) unreadable.add(place);
  for (const [location, raw] of [["query", wire.query], ["cookie", wire.cookies]] as const) {
    attempt("parameter", places(at(location)), () => decodePairPlace(spec, at(location), decodePairs(raw, "url"), values, problems, location, attempt));
  }
  for (const parameter of at("header")) {
    const text = wire.headers.get(parameter.name.toLowerCase());
    if (text !== undefined) attempt("parameter", places([parameter]), () => values.set(placeKey("header", parameter.name), decodeHeaderText(spec.doc, fieldOf(parameter), text)));
  }
  for (const name of wire.headers.keys()) {
    if (!FREE_HEADERS.has(name) && !at("header").some((p) => p.name.toLowerCase() === name)) {
      problems.push({ code: "unexpected", detail: `header ${name} is not a parameter of the operation` });
    }
  }

  let body: DecodedBody | undefined;
  const expected = specBody(spec, op);
  const sent = (wire.body !== undefined && wire.body.length > 0) || wire.contentType !== undefined;
  if (sent && !expected) problems.push({ code: "unexpected", detail: "a body is sent, the operation defines none" });
  else if (sent && expected) attempt("body", ["body"], () => (body = decodeBody(spec, expected, wire)));
  else if (expected?.required) problems.push({ code: "missing", detail: "the required request body is not sent" });
  return { values, body, problems, unreadable };
}

type Attempt = (code: ProblemCode, places: readonly string[], run: () => void) => void;

function decodePath(
  spec: RawSpec,
  op: RawOperation,
  wire: Wire,
  bases: readonly string[],
  parameters: RawParameter[],
  values: Map<string, Decoded>,
  problems: Problem[],
  attempt: Attempt,
): boolean {
  const target = `${wire.url.origin}${wire.path}`;
  const base = bases.find((b) => target.startsWith(`${b}/`));
  if (!base) {
    problems.push({ code: "server", detail: `sent to ${wire.url.origin}${wire.path}; the operation's server is ${bases.join(" or ")}` });
    return false;
  }
  const names: string[] = [];
  // A path key may carry a `#fragment` to tell operations apart (ReadMe's examples); it is not part of the URL.
  const template = op.path.split("#")[0]!;
  if (template.includes("?")) {
    problems.push({ code: "path", detail: `the path key ${template} holds a query: OpenAPI paths have none (3.1.1 §4.8.8.1), so its variables have no defined place` });
    return false;
  }
  const marked = template.replace(/\{([^{}]+)\}/g, (_, name: string) => `rtvar${names.push(name) - 1}rtvar`);
  // The template's literal text as a URL path holds it (percent-encoded where needed).
  const literal = new URL(`${base}${marked.startsWith("/") ? "" : "/"}${marked}`).pathname;
  const pattern = new RegExp(`^${literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/rtvar(\d+)rtvar/g, "([^/]*?)")}$`);
  const match = pattern.exec(wire.path);
  if (!match) {
    problems.push({ code: "path", detail: `path ${wire.path} does not match ${template} under ${base}` });
    return false;
  }
  names.forEach((name, i) => {
    const parameter = parameters.find((p) => p.name === name);
    const raw = match[i + 1]!;
    if (!parameter) return; // a template variable the spec has no parameter for: nothing to check it against
    if (raw === "") problems.push({ code: "missing", detail: `path parameter ${name} is empty` });
    else attempt("parameter", [placeKey("path", name)], () => values.set(placeKey("path", name), decodePathText(spec.doc, fieldOf(parameter), raw)));
  });
  return true;
}

/** Query or cookie parameters; form-exploded objects last, since their members are pairs of their own. */
function decodePairPlace(
  spec: RawSpec,
  parameters: RawParameter[],
  pairs: Pair[],
  values: Map<string, Decoded>,
  problems: Problem[],
  location: string,
  attempt: Attempt,
): void {
  const spread: RawParameter[] = [];
  for (const parameter of parameters) {
    attempt("parameter", [placeKey(location, parameter.name)], () => {
      const value = decodePairField(spec.doc, fieldOf(parameter), pairs, "url");
      if (value !== undefined) values.set(placeKey(location, parameter.name), value);
      else if (parameter.style === "form" && parameter.explode && !parameter.json && shapesOf(spec.doc, parameter.schema).has("object")) spread.push(parameter);
    });
  }
  for (const parameter of spread) {
    attempt("parameter", [placeKey(location, parameter.name)], () => {
      const value = decodeSpreadObject(spec.doc, fieldOf(parameter), pairs, "url");
      if (value !== undefined) values.set(placeKey(location, parameter.name), value);
    });
  }
  for (const pair of pairs.filter((p) => !p.used)) {
    problems.push({ code: "unexpected", detail: `${location} ${pair.name}=${pair.value.slice(0, 40)} is not a parameter of the operation` });
  }
}
