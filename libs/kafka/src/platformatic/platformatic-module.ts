import { createRequire } from 'node:module';
import type * as PlatformaticModule from '@platformatic/kafka';

type PlatformaticKafka = typeof PlatformaticModule;

let loaded: PlatformaticKafka | undefined;

/**
 * @platformatic/kafka, loaded on first use only (a kafkajs worker never loads it) with Node's
 * own require: the package is ESM, which Node 22+ loads synchronously, while a test runner's
 * module system (jest's) cannot; going through createRequire keeps both working.
 */
export function platformaticKafka(): PlatformaticKafka {
  loaded ??= createRequire(__filename)('@platformatic/kafka') as PlatformaticKafka;
  return loaded;
}
