/** The one function the generator uses from swagger2openapi (which ships no types). */
declare module "swagger2openapi" {
  export function convertObj(
    swagger: unknown,
    options: { patch?: boolean; warnOnly?: boolean; resolve?: boolean; text?: string },
  ): Promise<{ openapi: unknown }>;
}
