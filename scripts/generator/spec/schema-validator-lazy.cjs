"use strict";
/**
 * Stands in for swagger-parser's lib/validators/schema.js (see spec/swagger-parser.ts): the same function, loaded
 * only when first called. Loading it loads ajv's compiler and the OpenAPI schemas, which the generator never calls:
 * it validates with precompiled validators (spec/meta-schema.ts) and passes `validate.schema: false`.
 */
let validateSchema;

module.exports = function lazyValidateSchema(api) {
  validateSchema ??= require("@apidevtools/swagger-parser/lib/validators/schema.js");
  return validateSchema(api);
};
