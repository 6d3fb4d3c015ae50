/**
 * The demo accounts (DESIGN decision 7). Each account carries the API scopes it may ever be granted: consent can
 * narrow a request, never widen it past this list (the "reader" gets read even when a client asks for write).
 */
import { timingSafeEqual } from "node:crypto";

export type Account = {
  id: string;
  password: string;
  email: string;
  name: string;
  apiScopes: readonly string[];
};

export const API_SCOPES = ["todo_api:read", "todo_api:write"] as const;

const ACCOUNTS: readonly Account[] = [
  { id: "demo", password: "demo", email: "demo@example.com", name: "Demo User", apiScopes: API_SCOPES },
  { id: "reader", password: "reader", email: "reader@example.com", name: "Read-only User", apiScopes: ["todo_api:read"] },
];

export function findAccountById(id: string): Account | undefined {
  return ACCOUNTS.find((account) => account.id === id);
}

/** Checks a login form; compares passwords in constant time even though they are demo values, to model the habit. */
export function authenticate(login: string, password: string): Account | undefined {
  const account = findAccountById(login);
  if (!account) return undefined;
  const a = Buffer.from(account.password);
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b) ? account : undefined;
}

/** oidc-provider's `findAccount` hook: the claims the `profile` and `email` scopes release (OIDC Core §5.4). */
export async function findAccount(_ctx: unknown, id: string) {
  const account = findAccountById(id);
  if (!account) return undefined;
  return {
    accountId: account.id,
    async claims() {
      return {
        sub: account.id,
        email: account.email,
        email_verified: true,
        name: account.name,
        preferred_username: account.id,
      };
    },
  };
}
