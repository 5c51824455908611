import type { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { sentimentResultSchema } from '@sentiment/events';
import { errorMessage } from '@sentiment/errors';
import { SchemaRegistryError } from './schema-registry-errors';
import { FRAME_HEADER_BYTES, MAGIC_BYTE } from './wire-format';

/**
 * OUTPUT_FORMAT=registry: results framed for registry deserializers, as JSON Schema (our result
 * schema, registered under `<topic>-value`). JSON Schema rather than Avro: a result carries the
 * producer's free-form `metadata` and per-speaker maps of any shape, which JSON Schema states as
 * the contract already does and Avro cannot without turning them into strings.
 */
export class ResultEncoder {
  private constructor(
    readonly schemaId: number,
    readonly subject: string,
    private readonly schema: { toBuffer(payload: object): Buffer },
    private readonly header: Buffer,
  ) {}

  /** Finds or registers the result schema under `<topic>-value` (once, at start-up). */
  static async create(registry: SchemaRegistry, topic: string): Promise<ResultEncoder> {
    const subject = `${topic}-value`;
    const confluentSchema = { type: 'JSON' as SchemaType.JSON, schema: JSON.stringify(sentimentResultSchema) };
    let id: number;
    try {
      id = await registry.getRegistryIdBySchema(subject, confluentSchema);
    } catch {
      try {
        id = (await registry.register(confluentSchema, { subject, updateConfig: false })).id;
      } catch (err) {
        throw new SchemaRegistryError('SCHEMA_REGISTRY_ERROR', `cannot register the result schema under ${subject}: ${errorMessage(err)}`, { cause: err, retriable: true });
      }
    }
    const schema = (await registry.getSchema(id)) as unknown as { toBuffer(payload: object): Buffer };
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header[0] = MAGIC_BYTE;
    header.writeInt32BE(id, 1);
    return new ResultEncoder(id, subject, schema, header);
  }

  /** The result as framed JSON; the library validates it against the registered schema. Synchronous. */
  encode(result: object): Buffer {
    return Buffer.concat([this.header, this.schema.toBuffer(result)]);
  }
}
