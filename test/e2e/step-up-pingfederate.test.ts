/**
 * Step-up in PingFederate mode with every real client (step-up-suite.ts): the bridge cannot know whether PingFederate
 * will grant a scope, so a reader's first write is challenged (403 insufficient_scope); the client signs in again
 * asking for it, PingFederate (the local IdP) still does not grant it, and the retried call is a tool error naming
 * the permission (src/auth/step-up-ledger.ts): one sign-in more, no loop. `demo` signed in with read only gets write
 * after exactly one more sign-in. The stack is the repo's bridge.yaml with `tools.visibility: list`, the setting
 * that lets a model see, and so call, a tool its user has not been granted yet.
 */
import { HeadlessOAuthProvider } from "./client.ts";
import { startStack } from "./stack.ts";
import { stepUpSuite } from "./step-up-suite.ts";

stepUpSuite({
  start: () => startStack({ provider: "pingfederate", visibility: "list" }),
  provider: (_stack, user, options) => new HeadlessOAuthProvider(user, options),
  readerSignIns: 1,
});
