/**
 * Step-up in Access for SaaS mode with every real client (step-up-suite.ts): the bridge is the OAuth server, Access
 * issues no API scopes, and bridge.yaml's claim rules decide: todo_api:read for example.com, todo_api:write for
 * demo@example.com only. The reader's write is a tool error at once (no rule grants it: no sign-in could help);
 * `demo` signed in with read only (a consent narrower than the rules) is challenged and gets write after exactly one
 * more sign-in. `tools.visibility: list`.
 */
import { startAccessSaasStack } from "./access-saas-stack.ts";
import { oauthServerStepUpSuite } from "./step-up-suite.ts";

oauthServerStepUpSuite(() => startAccessSaasStack({ visibility: "list" }));
