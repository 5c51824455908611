import Ajv, { type AnySchema, type Options, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';

/**
 * Compiles the JSON Schemas that producers registered, whatever draft they declare. The registry
 * client hands every schema to one Ajv-like object; Ajv needs a different class per draft, so this
 * picks one by `$schema` and uses a fresh instance per schema (two producers may reuse an `$id`).
 * Not strict: foreign schemas carry keywords and formats of their own tools.
 */
export function createJsonSchemaCompiler(): { addSchema(schema: AnySchema, key?: string): unknown; compile(schema: AnySchema): ValidateFunction } {
  const options: Options = { strict: false, validateFormats: false, allErrors: false, logger: false };
  let references: { schema: AnySchema; key: string | undefined }[] = [];
  return {
    addSchema(schema, key) {
      references.push({ schema, key });
      return this;
    },
    compile(schema) {
      const draft = typeof schema === 'object' && schema !== null && typeof schema.$schema === 'string' ? schema.$schema : '';
      const ajv = draft.includes('2020-12') ? new Ajv2020(options) : draft.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
      for (const ref of references) ajv.addSchema(ref.schema, ref.key);
      references = [];
      return ajv.compile(schema);
    },
  };
}
