/** Types of package-substitutes.mjs (plain JavaScript: see there why). */

export const LAZY_SCHEMA_VALIDATOR: string;
export const DEREFERENCE: string;
export const REF_PARSER_URL: string;

/** The path of our module that stands in for `specifier` as the file at path `parent` asks for it, if any. */
export function substituteFor(specifier: string, parent: string): string | undefined;
