/**
 * Static or discovery mode (bridge.yaml `tools.mode`), and the tool text that goes with it. `auto` lists every tool
 * when the static tools/list fits `tools.listBudgetTokens` and switches to discovery when it does not. In discovery
 * mode a model reads one operation at a time (describe), so the tools keep their full text unless
 * `tools.descriptions: concise` says otherwise.
 */
import { discoveryTools } from "../../../src/mcp/discovery-tools.ts";
import type { Model } from "../model/types.ts";
import { groupedDigits, listingSize, type ListingSize } from "../report.ts";
import { conciseListing, conciseListingSize, listedText, listToolsAs, type Listing } from "./tools.ts";

export interface ModeChoice {
  mode: "static" | "discovery";
  /** Why, in words for the generator's summary. */
  reason: string;
  /** The listing generated/tools.ts carries. */
  listing: Listing;
  /** The static tools/list's size and text, when it was measured (static and auto modes). */
  staticSize?: ListingSize;
  staticText?: Listing["text"];
  /** The discovery tools/list's size (discovery mode). */
  discoverySize?: ListingSize;
}

export function chooseMode(model: Model): ModeChoice {
  const { mode, listBudgetTokens } = model.config.tools;
  // The full listing is made once: `auto` measures it, and discovery mode's tools carry it.
  let full: Listing | undefined;
  const fullListing = (): Listing => (full ??= listToolsAs(model, "full"));
  if (mode === "discovery") return discovery(model, "tools.mode: discovery", fullListing);
  const text = listedText(model, fullListing);
  const budget = groupedDigits(listBudgetTokens);
  const overReason = (size: ListingSize): string => `tools.mode: auto, the static tools/list (~${groupedDigits(size.tokens)} tokens) is over tools.listBudgetTokens (${budget})`;
  // `descriptions: auto` lists the concise text when the full one is over the budget; if the concise one is over it
  // too, discovery mode serves the full text, and the concise listing is measured only for the summary: its size is
  // counted without making it.
  let conciseSize: ListingSize | undefined;
  if (mode === "auto" && text === "concise" && model.config.tools.descriptions === "auto") {
    conciseSize = conciseListingSize(model, fullListing());
    if (conciseSize.tokens > listBudgetTokens) return { ...discovery(model, overReason(conciseSize), fullListing), staticSize: conciseSize, staticText: text };
  }
  const listing = text === "full" ? fullListing() : conciseListing(model, fullListing());
  const staticSize = conciseSize ?? listingSize(listing.listed);
  const measured = { staticSize, staticText: listing.text };
  if (mode === "static") return { mode, reason: "tools.mode: static", listing, ...measured };
  if (staticSize.tokens <= listBudgetTokens) {
    return { mode: "static", reason: `tools.mode: auto, the static tools/list (~${groupedDigits(staticSize.tokens)} tokens) fits tools.listBudgetTokens (${budget})`, listing, ...measured };
  }
  return { ...discovery(model, overReason(staticSize), fullListing, listing), ...measured };
}

function discovery(model: Model, reason: string, fullListing: () => Listing, measured?: Listing): ModeChoice {
  const text = model.config.tools.descriptions === "concise" ? "concise" : "full";
  const listing = measured?.text === text ? measured : text === "full" ? fullListing() : listToolsAs(model, text);
  return { mode: "discovery", reason, listing, discoverySize: discoveryListingSize(model) };
}

/** What the three tools cost in tools/list, with the most hints a caller can see on the call tool. */
export function discoveryListingSize(model: Model): ListingSize {
  const { names, answerBudgetTokens } = model.config.tools.discovery;
  const definition = { api: model.api.title, names, answerBudgetTokens, index: "" };
  const hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };
  return listingSize(discoveryTools(definition, hints).map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations })));
}
