/**
 * Helpers of the Todo API's workerd suites: sign access tokens with the keys the global setup generated, and call the
 * Worker under test (the `main` of examples/todo-api/wrangler.jsonc) through `SELF`.
 */
/// <reference types="@cloudflare/vitest-plugin/types" />
import { SELF } from "cloudflare:test";
import { importJWK, SignJWT, type JWK, type JWTPayload } from "jose";
import { inject } from "vitest";
import "./provided.ts";

export const context = inject("todoApi");
export const READ = "todo_api:read";
export const WRITE = "todo_api:write";
export const BOTH = `${READ} ${WRITE}`;

export interface TokenOptions {
  /** The user; a fresh random one when left out (so tests do not share todo lists). */
  sub?: string;
  /** The `scope` claim: a space-separated string or an array. Read and write when left out. */
  scope?: string | string[];
  /** More claims, or overrides (`undefined` removes one). */
  claims?: Record<string, unknown>;
  /** Which key signs: the published one, the one published after rotation, or a key given here. */
  key?: "current" | "next" | { kid: string; privateJwk: JWK };
  /** Seconds from now until `exp` (negative: already expired). */
  expiresIn?: number;
}

export function newUser(): string {
  return `user-${crypto.randomUUID()}`;
}

export async function signToken(options: TokenOptions = {}): Promise<string> {
  const key = typeof options.key === "object" ? options.key : context.keys[options.key ?? "current"];
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: context.issuer,
    aud: context.audience,
    sub: options.sub ?? newUser(),
    scope: options.scope ?? BOTH,
    iat: now,
    exp: now + (options.expiresIn ?? 300),
    ...options.claims,
  };
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)) as JWTPayload;
  const alg = key.privateJwk.alg ?? "RS256";
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: key.kid, typ: "at+jwt" })
    .sign(await importJWK(key.privateJwk, alg));
}

export interface CallOptions {
  token?: string;
  /** A value to send as JSON, or a string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request to the Worker under test; a JSON body gets `Content-Type: application/json` unless headers say otherwise. */
export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return SELF.fetch(`http://127.0.0.1:8787${path}`, { method, headers, body });
}

/** A client for one user: every call carries a token for `sub` with the given scopes. */
export async function userClient(options: TokenOptions = {}) {
  const sub = options.sub ?? newUser();
  const token = await signToken({ ...options, sub });
  return {
    sub,
    token,
    call: (method: string, path: string, rest: Omit<CallOptions, "token"> = {}) => call(method, path, { ...rest, token }),
    async create(text: string): Promise<Todo> {
      const response = await call("POST", "/api/todos", { token, body: { todoText: text } });
      if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as Todo;
    },
  };
}

/** The todos of a listTodos response. */
export async function listed(response: Response | Promise<Response>): Promise<Todo[]> {
  return ((await (await response).json()) as { todos: Todo[] }).todos;
}

export interface Todo {
  id: string;
  text: string;
  completed: boolean;
  createdAt: string;
}

export interface ErrorBody {
  error: string;
  message: string;
  details?: { field: string; message: string }[];
}
