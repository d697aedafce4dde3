import { readFileSync } from 'node:fs';
import path from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

/** The SARIF 2.1.0 JSON schema shipped in test/schemas (see its README), compiled once. */
const SCHEMA = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
// unicodeRegExp off: the schema's language pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not valid with the u flag.
// Both packages are CommonJS with a `default` export: TypeScript sees the module object, Node the class.
const { default: Ajv04 } = ajvDraft04;
const { default: addFormats } = ajvFormats;
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

/** The schema's complaints about a SARIF log; [] when it is valid. */
export function getSarifSchemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
