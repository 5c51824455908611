import { type KafkaBroker } from '../kafka-broker';
import { BROKER_GLOBAL } from './global-setup';

/** Stops the shared broker started by global-setup.ts (an external one is left alone). */
export default async function globalTeardown(): Promise<void> {
  const store = globalThis as Record<string, unknown>;
  const broker = store[BROKER_GLOBAL] as KafkaBroker | undefined;
  if (!broker) return;
  delete store[BROKER_GLOBAL];
  await broker.destroy();
}
