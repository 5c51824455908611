import { ConfigResourceTypes } from 'kafkajs';
import { testKafka } from '@sentiment/testing';

/**
 * Sets one topic config on the broker (a real fault, no mock): e.g. `max.message.bytes` so small
 * that every produce to the topic is rejected with MESSAGE_TOO_LARGE. AlterConfigs replaces the
 * topic's whole override set, which is fine for test topics that have no other overrides.
 * Resolves once describeConfigs reports the new value.
 */
export async function setTopicConfig(bootstrap: string, topic: string, name: string, value: string): Promise<void> {
  const admin = testKafka(bootstrap).admin();
  await admin.connect();
  try {
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name, value }] }] });
    for (let i = 0; i < 50; i++) {
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }] });
      if (described.resources[0]?.configEntries.find((e) => e.configName === name)?.configValue === value) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${topic}: ${name} did not become ${value}`);
  } finally {
    await admin.disconnect();
  }
}
