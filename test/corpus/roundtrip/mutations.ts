/**
 * Mutations of a request the round trip found exact: each must be caught by the checker (a problem reported), or
 * the checker would pass wrong requests too. Applied to real corpus requests by the round-trip suite; the
 * hand-made cases with the exact problem expected are in checker.test.ts.
 */
import type { HttpRequestPlan } from "../../../src/tools/request.ts";

export interface Mutation {
  readonly name: string;
  /** The mutated plan, or undefined when the mutation does not apply to this request. */
  readonly apply: (plan: HttpRequestPlan, listedTypes: readonly string[]) => HttpRequestPlan | undefined;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: "drop a query pair",
    apply: (plan) => withQuery(plan, (pairs) => (pairs.length === 0 ? undefined : pairs.slice(0, -1))),
  },
  {
    name: "change a query value",
    apply: (plan) => withQuery(plan, (pairs) => (pairs.length === 0 ? undefined : [...pairs.slice(0, -1), `${pairs.at(-1)!}x`])),
  },
  {
    name: "drop a header parameter",
    apply: (plan) => {
      const name = Object.keys(plan.headers).find((h) => !["accept", "content-type", "cookie"].includes(h));
      if (name === undefined) return undefined;
      const { [name]: _, ...headers } = plan.headers;
      return { ...plan, headers };
    },
  },
  {
    name: "drop a body field",
    apply: (plan) => {
      const form = formOf(plan);
      if (form) {
        const names = [...new Set([...form.keys()])];
        if (names.length === 0) return undefined;
        form.delete(names.at(-1)!);
        return { ...plan, body: form.toString() };
      }
      const body = plan.body;
      if (typeof body === "string") {
        const value: unknown = JSON.parse(body);
        if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0) return undefined;
        const { [Object.keys(value).at(-1)!]: _, ...rest } = value as Record<string, unknown>;
        return { ...plan, body: JSON.stringify(rest) };
      }
      if (body instanceof FormData) {
        const names = [...new Set([...body.keys()])];
        if (names.length === 0) return undefined;
        const copy = copyForm(body);
        copy.delete(names.at(-1)!);
        return { ...plan, body: copy };
      }
      return undefined;
    },
  },
  {
    name: "send another Content-Type",
    apply: (plan, listed) => {
      if (plan.body === undefined || listed.some((type) => type.includes("*"))) return undefined;
      return { ...plan, headers: { ...plan.headers, "content-type": "application/x-mutant" } };
    },
  },
  {
    name: "send bracketed form fields as one JSON text field",
    apply: (plan) => {
      const form = formOf(plan);
      if (!form) return undefined;
      const root = [...form.keys()].map((name) => /^([^[\]]+)\[/.exec(name)?.[1]).find((r) => r !== undefined);
      if (root === undefined) return undefined;
      const copy = new URLSearchParams([...form].filter(([name]) => name !== root && !name.startsWith(`${root}[`)));
      copy.append(root, JSON.stringify(Object.fromEntries([...form].filter(([name]) => name.startsWith(`${root}[`)))));
      return { ...plan, body: copy.toString() };
    },
  },
];

/**
 * An application/x-www-form-urlencoded body as pairs (a copy): the builder sends it as a string (or, before issue 10,
 * a URLSearchParams); undefined for any other body.
 */
function formOf(plan: HttpRequestPlan): URLSearchParams | undefined {
  if (plan.body instanceof URLSearchParams) return new URLSearchParams(plan.body);
  const form = plan.headers["content-type"]?.split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded";
  return form && typeof plan.body === "string" ? new URLSearchParams(plan.body) : undefined;
}

function withQuery(plan: HttpRequestPlan, change: (pairs: string[]) => string[] | undefined): HttpRequestPlan | undefined {
  const url = new URL(plan.url);
  const pairs = change(url.search.slice(1).split("&").filter((pair) => pair !== ""));
  if (pairs === undefined) return undefined;
  url.search = pairs.join("&");
  return { ...plan, url: url.href };
}

function copyForm(form: FormData): FormData {
  const copy = new FormData();
  for (const [name, value] of form) copy.append(name, value);
  return copy;
}
