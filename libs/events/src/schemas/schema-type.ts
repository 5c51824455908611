import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** Keys of T other than its index signatures. */
type DeclaredKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: unknown };

/**
 * T without the `[x: string]: unknown` that an open object schema (no `additionalProperties:
 * false`) gives every object that also lists properties. The schemas stay open on the wire (a
 * producer may add fields, ajv accepts them), but the code that builds and reads these objects
 * must get a compile error for a misspelt field. Objects that list no properties at all
 * (`metadata`, the `speakers` map) keep their index signature.
 */
type Declared<T> = T extends readonly (infer U)[]
  ? Declared<U>[]
  : T extends object
    ? [DeclaredKeys<T>] extends [never]
      ? { [K in keyof T]: Declared<T[K]> }
      : { [K in keyof T as string extends K ? never : number extends K ? never : K]: Declared<T[K]> }
    : T;

/** The TypeScript type of the values a JSON Schema accepts: the schema is the one definition. */
export type SchemaType<S extends JSONSchema> = Declared<FromSchema<S>>;
