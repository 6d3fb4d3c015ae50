/**
 * `identity` × `upstream`: the provider (and Access mode) must implement the chosen `upstream.credentials`, have the
 * keys that combination needs, refuse what it cannot do, and reach its endpoints over https. The facts come from
 * providers.ts; a key written but unused is a warning (it misleads whoever reads the file next).
 */
import type { ConfigPath } from "../errors.ts";
import { dottedPath, type Findings } from "./findings.ts";
import { providerFacts, type Identity, type Upstream } from "./providers.ts";

export interface Written {
  written(at: ConfigPath): boolean;
}

export function checkIdentity(identity: Identity, upstream: Upstream, file: Written, out: Findings): void {
  const facts = providerFacts(identity);
  const available = facts.credentials.includes(upstream.credentials);
  if (!available) {
    out.error(
      "BRIDGE_CREDENTIALS_UNAVAILABLE",
      ["upstream", "credentials"],
      `upstream.credentials: ${upstream.credentials} is not available with ${facts.choice} (${facts.credentialsHint})`,
    );
  }
  for (const need of facts.needed(upstream)) out.error("BRIDGE_KEY_REQUIRED", [need.section], need.message, "key");
  for (const refused of facts.refused()) out.error("BRIDGE_KEY_REFUSED", refused.at, refused.message, "key");

  const values = identity as Readonly<Record<string, unknown>>;
  for (const key of facts.urls) {
    const url = values[key];
    if (typeof url === "string" && !isSecure(url)) {
      out.error("BRIDGE_URL_INSECURE", ["identity", key], `identity.${key}: "${url}" must use https (http only on 127.0.0.1, localhost or [::1])`);
    }
  }
  for (const key of facts.origins) {
    const url = values[key];
    if (typeof url !== "string") continue;
    const { origin, pathname, search, hash } = new URL(url);
    if (pathname.replace(/\/+$/, "") !== "" || search !== "" || hash !== "") {
      out.error("BRIDGE_URL_NOT_ORIGIN", ["identity", key], `identity.${key}: "${url}" must be the team's origin, with no path (did you mean "${origin}"?)`);
    }
  }
  // Which keys matter depends on the credentials: with ones that cannot be used, "no effect" would mislead.
  for (const unused of available ? facts.unused(upstream) : []) {
    if (file.written(unused.at)) {
      out.warning("BRIDGE_KEY_UNUSED", unused.at, `${dottedPath(unused.at)} has no effect with ${unused.because} (remove it)`, "key");
    }
  }
}

/** https, or http on a loopback host for local development (RFC 6749 §3.1 and §3.2 require TLS at the endpoints). */
function isSecure(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "https:" || (protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(hostname));
}
