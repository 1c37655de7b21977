// The portal's API types, generated from the contract (docs/openapi.json) with
// openapi-typescript: `npm run gen:api` writes src/api/schema.ts; `node scripts/genererApi.mjs
// FICHIER` writes elsewhere (tests/unit/schemaApi.test.ts compares the two).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import openapiTS, { COMMENT_HEADER, astToString } from "openapi-typescript";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CONTRAT = resolve(web, "../docs/openapi.json");
export const SCHEMA = resolve(web, "src/api/schema.ts");

export async function genererSchema() {
  const document = JSON.parse(readFileSync(CONTRAT, "utf8"));
  // defaultNonNullable off: a request's field with a default may be left out (by default
  // openapi-typescript would make it required); a view's field is required only where the
  // document says so.
  const ast = await openapiTS(document, { silent: true, defaultNonNullable: false });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sortie = process.argv[2] ? resolve(process.argv[2]) : SCHEMA;
  writeFileSync(sortie, await genererSchema(), "utf8");
}
