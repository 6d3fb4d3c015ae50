/**
 * One sign-in in a real browser, as a person would: the official MCP SDK v1 client against the e2e stack
 * (test/e2e/stack.ts), with an OAuthClientProvider whose `redirectToAuthorization` opens the authorization URL in
 * Debian's Chromium (/usr/bin/chromium, driven by playwright-core), where the test types demo/demo into the IdP's
 * login form, clicks "Sign in", clicks "Allow" on the consent page and reads the code from the navigation to the
 * client's redirect URI (intercepted: nothing is served there).
 *
 * Chromium is required, not optional: .ci/run installs Debian's `chromium` when it is missing, and without it this
 * test fails (it does not skip).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt } from "jose";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWithSignIn, HeadlessOAuthProvider } from "./client.ts";
import { startStack, type Stack } from "./stack.ts";

// Debian's Chromium (E2E_CHROMIUM overrides the path, e.g. to check that a missing browser fails this test).
const CHROMIUM = process.env["E2E_CHROMIUM"] ?? "/usr/bin/chromium";
// The flags known to work on this machine kind (closed network: no background connections, no QUIC, no first run).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ALL_TOOLS = ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"];

/** Where one browser sign-in went: the pages seen (title, screenshot path) and the redirect URI it landed on. */
interface BrowserVisit {
  loginTitle: string;
  loginText: string;
  consentTitle: string;
  consentText: string;
  loginScreenshot: string;
  consentScreenshot: string;
  landing: URL;
}

/** The SDK's provider with a real browser: each authorization request is a fresh Chromium context and a person. */
class ChromiumOAuthProvider extends HeadlessOAuthProvider {
  visits: BrowserVisit[] = [];
  private readonly browser: Browser;
  private readonly screenshots: string;
  private readonly person: { login: string; password: string };

  constructor(browser: Browser, screenshots: string, person: { login: string; password: string }) {
    super(person);
    this.browser = browser;
    this.screenshots = screenshots;
    this.person = person;
  }

  override async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrl = url;
    const visit = await signInWithChromium(this.browser, url, this.redirectUrl, this.person, this.screenshots);
    this.visits.push(visit);
    this.landing = visit.landing;
  }
}

async function signInWithChromium(
  browser: Browser,
  authorizationUrl: URL,
  redirectUri: string,
  person: { login: string; password: string },
  screenshots: string,
): Promise<BrowserVisit> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // The client's redirect URI: nothing listens there; the browser's navigation to it is the answer.
    let resolveLanding!: (url: URL) => void;
    const landed = new Promise<URL>((resolve) => (resolveLanding = resolve));
    const callback = new URL(redirectUri);
    await page.route(
      (url) => url.origin === callback.origin && url.pathname === callback.pathname,
      async (route) => {
        resolveLanding(new URL(route.request().url()));
        await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Signed in</title>You may close this window." });
      },
    );

    await page.goto(authorizationUrl.href);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const loginTitle = await page.title();
    const loginText = await page.locator("body").innerText();
    const loginScreenshot = join(screenshots, "login.png");
    await page.screenshot({ path: loginScreenshot, fullPage: true });

    await page.getByLabel("Username").fill(person.login);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.getByRole("heading", { name: "Authorize access" }).waitFor();
    const consentTitle = await page.title();
    const consentText = await page.locator("body").innerText();
    const consentScreenshot = join(screenshots, "consent.png");
    await page.screenshot({ path: consentScreenshot, fullPage: true });

    const [landing] = await Promise.all([landed, page.getByRole("button", { name: "Allow" }).click()]);
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    return { loginTitle, loginText, consentTitle, consentText, loginScreenshot, consentScreenshot, landing };
  } finally {
    await context.close();
  }
}

async function expectPng(path: string): Promise<void> {
  const bytes = await readFile(path);
  expect(bytes.length, `${path} is empty`).toBeGreaterThan(1_000);
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${path} is not a PNG`).toBe(true);
}

let stack: Stack | undefined;
let browser: Browser | undefined;
let client: Client | undefined;
let screenshots: string;

const MISSING = `${CHROMIUM} is missing: this test needs Debian's Chromium (apt-get install -y chromium; .ci/run installs it)`;

beforeAll(async () => {
  // Without Chromium nothing is started and both tests below fail with MISSING (a failure, never a skip).
  if (!existsSync(CHROMIUM)) return;
  screenshots = process.env["E2E_SCREENSHOTS"] ?? (await mkdtemp(join(tmpdir(), "e2e-browser-")));
  [stack, browser] = await Promise.all([
    startStack({ provider: "pingfederate" }),
    // Under the hook's 120 s (playwright's default is 180 s): a launch that hangs fails with playwright's own launch
    // log instead of a bare hook timeout (seen once in a full `npm test`); the stack names its own stalls (stack.ts).
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 }),
  ]);
});

afterAll(async () => {
  await client?.close();
  await browser?.close();
  await stack?.close();
  if (screenshots && !process.env["E2E_SCREENSHOTS"]) await rm(screenshots, { recursive: true, force: true });
});

describe("sign-in in a real browser (Debian's Chromium + playwright-core)", () => {
  it("Debian's Chromium is installed", () => {
    expect(existsSync(CHROMIUM), MISSING).toBe(true);
  });

  it("a person signs in and consents in Chromium; the SDK client finishes the flow and uses the tools", async () => {
    expect(browser, MISSING).toBeDefined();
    const person = { login: "demo", password: "demo" };
    const provider = new ChromiumOAuthProvider(browser!, screenshots, person);
    const loginsBefore = stack!.stats.logins;

    // connect → 401 → discovery, DCR, PKCE → redirectToAuthorization (Chromium) → finishAuth(code) → reconnect.
    client = await connectWithSignIn(stack!.mcpUrl, provider);

    expect(provider.visits).toHaveLength(1);
    const visit = provider.visits[0]!;
    // The pages a person saw: the IdP's login page naming the client, then its consent page listing the scopes.
    expect(visit.loginTitle).toBe("Sign in");
    expect(visit.loginText).toContain("Sign in to continue to e2e MCP client");
    expect(visit.consentTitle).toBe("Authorize access");
    expect(visit.consentText).toContain("e2e MCP client asks to act as demo");
    expect(visit.consentText).toContain("todo_api:read");
    expect(visit.consentText).toContain("todo_api:write");
    await expectPng(visit.loginScreenshot);
    await expectPng(visit.consentScreenshot);

    // Where the browser was sent: the client's redirect URI with a code, the request's state and the IdP (RFC 9207).
    const authorization = provider.authorizationUrl!;
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${stack!.issuer}/as/authorization.oauth2`);
    expect(`${visit.landing.origin}${visit.landing.pathname}`).toBe(provider.redirectUrl);
    expect(visit.landing.searchParams.get("code")).toBeTruthy();
    expect(visit.landing.searchParams.get("state")).toBe(authorization.searchParams.get("state"));
    expect(visit.landing.searchParams.get("iss")).toBe(stack!.issuer);
    expect(stack!.stats.logins - loginsBefore).toBe(1);

    // The token the code bought: the user's, for the bridge.
    const claims = decodeJwt(provider.accessToken);
    expect(claims.sub).toBe("demo");
    expect(claims.aud).toBe(stack!.mcpUrl);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS);

    const created = await client.callTool({ name: "create_todo", arguments: { todoText: "Signed in with Chromium" } });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    const todo = created.structuredContent as { id: string; text: string };
    expect(todo.text).toBe("Signed in with Chromium");
    const listed = await client.callTool({ name: "list_todos", arguments: {} });
    expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
    const todos = (listed.structuredContent as { todos: { id: string; text: string }[] }).todos;
    expect(todos).toContainEqual(expect.objectContaining({ id: todo.id, text: "Signed in with Chromium" }));
  });
});
