import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";

const schemaDir = path.resolve("app/modules/projects/ocds");
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

/** A validator of OCDS 1.1 release packages against the schema in app/modules/projects/ocds: the list of errors, empty when valid. */
export function ocdsValidator() {
  // OCDS 1.1 is written in draft-04: its meta-schema only, ids in `id`.
  const ajv = new Ajv({ schemaId: "id", meta: false, format: "full", allErrors: true });
  ajv.addMetaSchema(readJson(path.resolve("node_modules/ajv/lib/refs/json-schema-draft-04.json")));
  ajv.addSchema(readJson(path.join(schemaDir, "release-schema.json")));
  const validate = ajv.compile(readJson(path.join(schemaDir, "release-package-schema.json")));
  return (data: unknown) => {
    const ok = validate(data) as boolean;
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
  };
}
