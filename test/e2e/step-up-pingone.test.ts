/**
 * Step-up in PingOne mode with every real client (step-up-suite.ts): the bridge is the OAuth server and keeps in the
 * grant what it asked PingOne (the local IdP) for and did not get. The reader's sign-in asked for todo_api:write and
 * was refused it, so the write is a tool error at once, with no sign-in; `demo` signed in with read only (the
 * client asked for less) is challenged and gets write after exactly one more sign-in. `tools.visibility: list`.
 */
import { startPingOneStack } from "./pingone-stack.ts";
import { oauthServerStepUpSuite } from "./step-up-suite.ts";

oauthServerStepUpSuite(() => startPingOneStack({ visibility: "list" }));
