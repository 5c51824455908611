import type * as PlatformaticModule from '@platformatic/kafka';

type PlatformaticKafka = typeof PlatformaticModule;

let loaded: PlatformaticKafka | undefined;

/**
 * @platformatic/kafka, loaded on first use only (a kafkajs worker never loads it), with Node's
 * own require. The package is ESM, which Node 22+ loads synchronously with require(); a test
 * runner's module system (jest's) cannot, and it intercepts `require` and `node:module` too, so
 * the real `createRequire` is taken from `process.getBuiltinModule`.
 */
export function platformaticKafka(): PlatformaticKafka {
  if (!loaded) {
    const { createRequire } = process.getBuiltinModule('node:module');
    loaded = createRequire(__filename)('@platformatic/kafka') as PlatformaticKafka;
  }
  return loaded;
}
