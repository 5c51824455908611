import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SentimentResult } from '@sentiment/events';
import { freePorts, produceJson, readTopicToEnd, testBootstrap, uniqueName } from '@sentiment/testing';
import { createTestTopics, waitFor, type TestTopics } from '../helpers/worker-harness';
import { HARDENED } from './helpers/hardened-flags';
import { containerLogs, fromContainerTestScript, inspect, podmanOk, removeContainer, startContainer } from './helpers/podman';

// Built with INCLUDE_MODEL=true: the model stage downloaded the tiny known-answer model from the
// fake hub (scripts/container/build-images.sh), and the build's --self-test --require-model loaded it.
const image = fromContainerTestScript('CONTAINER_TEST_MODEL_IMAGE');

describe(`the worker image with a model (${image}), run by podman against the harness broker`, () => {
  const bootstrap = testBootstrap();
  const name = uniqueName('model-image');
  let topics: TestTopics;
  let url = '';

  beforeAll(async () => {
    topics = await createTestTopics(bootstrap, 2);
    const [port] = (await freePorts(1)) as [number];
    url = `http://127.0.0.1:${port}`;
    await startContainer({
      name,
      image,
      flags: HARDENED,
      env: {
        KAFKA_BROKERS: bootstrap,
        INPUT_TOPIC: topics.input,
        OUTPUT_TOPIC: topics.output,
        DLQ_TOPIC: topics.dlq,
        KAFKA_GROUP_ID: topics.group,
        PORT: String(port),
        HOST: '127.0.0.1',
        MODEL_THREADS: '1',
      },
    });
    await waitFor(`${name}: /ready to answer 200`, async () => {
      if ((await inspect(name, '{{.State.Running}}')) !== 'true') throw new Error(`${name} exited:\n${await containerLogs(name)}`);
      const res = await fetch(`${url}/ready`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, 120_000, 500);
  });

  afterAll(async () => {
    await removeContainer(name);
  });

  it('when the image is inspected, then the model stage put the downloaded files where MODEL_DIR points', async () => {
    const env = JSON.parse(await podmanOk(['image', 'inspect', '--format', '{{json .Config.Env}}', image])) as string[];
    const modelDir = env.find((e) => e.startsWith('MODEL_DIR='))?.slice('MODEL_DIR='.length);
    expect(modelDir).toBe('/models/twitter-roberta-base-sentiment');
    const files = (await podmanOk(['run', '--rm', image, 'sh', '-c', `cd ${modelDir} && find . -type f | sort`])).trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['./config.json', './onnx/model_quantized.onnx', './checksums.json']));
  });

  it('when it is up, then /health says ok with roberta-onnx and the events are labelled by the tiny model', async () => {
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string; scorer: { active: string; model_loaded: boolean } };
    console.log(`/health: ${JSON.stringify(health)}`);
    expect(health.scorer).toMatchObject({ active: 'roberta-onnx', model_loaded: true });
    expect(health.status).toBe('ok');

    await produceJson(bootstrap, topics.input, [
      { key: 'pos', value: { call_id: 'pos', text: 'I love this, the agent was great and so helpful. Thanks, amazing service!' } },
      { key: 'neg', value: { call_id: 'neg', text: 'This is terrible. I hate it, the worst and most awful experience. I am angry.' } },
    ]);
    const results = await waitFor('2 results', async () => {
      const read = await readTopicToEnd(bootstrap, topics.output);
      return read.length >= 2 ? read.map((m) => JSON.parse(String(m.value)) as SentimentResult) : undefined;
    }, 60_000, 500);
    const byId = new Map(results.map((r) => [r.call_id, r]));
    expect(byId.get('pos')).toMatchObject({ label: 'positive', model: 'roberta-onnx' });
    expect(byId.get('neg')).toMatchObject({ label: 'negative', model: 'roberta-onnx' });
  });
});
