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

/** An operationId used twice would merge two operations into one entry of `operations`
 * (the second's types silently lost): such an operation is typed on its path instead. */
function sansOperationIdsEnDouble(document) {
  const vus = new Map();
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (operation && typeof operation === "object" && operation.operationId) {
        vus.set(operation.operationId, (vus.get(operation.operationId) ?? 0) + 1);
      }
    }
  }
  const doubles = [...vus].filter(([, n]) => n > 1).map(([id]) => id);
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (operation && typeof operation === "object" && doubles.includes(operation.operationId)) {
        delete operation.operationId;
      }
    }
  }
  return doubles;
}

export async function genererSchema() {
  const document = JSON.parse(readFileSync(CONTRAT, "utf8"));
  const doubles = sansOperationIdsEnDouble(document);
  if (doubles.length) {
    console.warn(`docs/openapi.json: operationId en double, typé par chemin: ${doubles.join(", ")}`);
  }
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
