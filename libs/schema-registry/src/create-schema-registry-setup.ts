import type { DecodeLimits } from '@sentiment/events';
import { RegistryInputDecoder, type InputDecoder, type InputFormat } from './input-decoder';
import { createRegistryClient } from './registry-client';
import type { SchemaRegistryOptions } from './registry-options';
import { ResultEncoder } from './result-encoder';
import { SchemaLookup, type LookupListener } from './schema-lookup';

export interface SchemaRegistrySetup {
  inputDecoder: InputDecoder | undefined;
  resultEncoder: ResultEncoder | undefined;
}

/**
 * The worker's registry parts from its settings. With INPUT_FORMAT=json and plain output nothing
 * is created (the library is not even loaded by the caller's data path). Registering the result
 * schema talks to the registry, so this is awaited at start-up.
 */
export async function createSchemaRegistrySetup(settings: {
  registry: SchemaRegistryOptions | undefined;
  inputFormat: InputFormat | 'json';
  outputTopic: string | undefined;
  limits: DecodeLimits;
  listener?: LookupListener;
}): Promise<SchemaRegistrySetup> {
  if (!settings.registry) return { inputDecoder: undefined, resultEncoder: undefined };
  const client = await createRegistryClient(settings.registry);
  const inputDecoder =
    settings.inputFormat === 'json' ? undefined : new RegistryInputDecoder(settings.inputFormat, new SchemaLookup(client, settings.registry, settings.listener), settings.limits);
  const resultEncoder = settings.outputTopic ? await ResultEncoder.create(client, settings.outputTopic) : undefined;
  return { inputDecoder, resultEncoder };
}
