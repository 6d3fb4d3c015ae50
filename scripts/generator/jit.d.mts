/** Types of jit.mjs (plain JavaScript, for the CLI's entry: compile-cache.mjs says why). */

/** The V8 flags a generate run sets. */
export const V8_FLAGS: string;

/** The V8 flags a generate run sets too on a machine of two cores or fewer. */
export const SERIAL_SCAVENGE_FLAGS: string;

/** Sets them, before the generator's modules load. */
export function holdBackTurbofan(): void;

/** Loads the built-ins every generate run needs, before holdBackTurbofan (Node's code cache for them holds then). */
export function loadBuiltinsBeforeHoldingBack(): void;
