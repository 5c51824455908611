import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { openApiDocument } from '@sentiment/http';
import { envSchema, loadConfig } from '../../src/config';
import { readRepoFile, repoPath } from './helpers/deploy-files';
import {
  baseObjects,
  cpuCores,
  findObject,
  K8S_BASE,
  K8S_MODEL_COMPONENT,
  kedaKafkaParameters,
  memoryMiB,
  podSpec,
  readEnvFile,
  readKustomization,
  readObjects,
  type ContainerSpec,
  type KubeObject,
  type PodSpec,
} from './helpers/kubernetes-files';

const objects = baseObjects();
const kustomization = readKustomization(K8S_BASE);
const deployment = findObject(objects, 'Deployment', 'sentiment-worker');
const pod = podSpec(deployment);
const worker = pod.containers.find((c) => c.name === 'worker') as ContainerSpec;
const configMapName = kustomization.configMapGenerator?.[0]?.name ?? '';
const envFile = readEnvFile(K8S_BASE, kustomization.configMapGenerator?.[0]?.envs?.[0] ?? 'worker.env');
const secretExample = findObject(readObjects(K8S_BASE, 'secret.example.yaml'), 'Secret', 'sentiment-worker-kafka');
const secretKeys = Object.keys((secretExample['stringData'] as Record<string, string>) ?? {});
const componentPatch = readObjects(K8S_MODEL_COMPONENT, 'deployment-patch.yaml');
const componentPod = podSpec(findObject(componentPatch, 'Deployment', 'sentiment-worker'));
const scaledObject = findObject(objects, 'ScaledObject', 'sentiment-worker');
const trigger = (scaledObject.spec as { triggers: Array<{ type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }> }).triggers[0];
const known = new Set(Object.keys(envSchema.shape));
const literalEnv = Object.fromEntries((worker.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));

/** What the worker sees in the pod: ConfigMap, Secret (the example's keys), then the container's own env. */
function podEnvironment(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(envFile.set), ...(secretExample['stringData'] as Record<string, string>), ...literalEnv, INSTANCE_ID: 'sentiment-worker-abc12' };
}

function allContainers(spec: PodSpec): ContainerSpec[] {
  return [...spec.containers, ...(spec.initContainers ?? [])];
}

describe('deploy/kubernetes manifests', () => {
  it('when the base kustomization is read, then it lists every manifest of the directory (the Secret example on purpose not)', () => {
    const files = readdirSync(repoPath(K8S_BASE)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...(kustomization.resources ?? [])].sort()).toEqual(files.filter((f) => f !== 'secret.example.yaml').sort());
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'ScaledObject', 'Service', 'Service', 'ServiceAccount', 'TriggerAuthentication']);
    // The Deployment takes its settings from the generated ConfigMap and the credentials from the Secret.
    expect(worker.envFrom).toEqual([{ configMapRef: { name: configMapName } }, { secretRef: { name: secretExample.metadata.name } }]);
  });

  it('when every environment variable the manifests set is collected, then each is one the worker reads', () => {
    const names = [
      ...envFile.set.keys(),
      ...envFile.commented,
      ...secretKeys,
      ...allContainers(pod).flatMap((c) => (c.env ?? []).map((e) => e.name)),
      ...allContainers(componentPod).flatMap((c) => (c.env ?? []).map((e) => e.name)),
    ];
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(names.length).toBeGreaterThan(20);
  });

  it('when the ConfigMap, Secret and Deployment are taken together, then every setting of docs/configuration.md has its line, and the worker accepts the result', () => {
    const covered = new Set([...envFile.set.keys(), ...envFile.commented, ...secretKeys, ...(worker.env ?? []).map((e) => e.name)]);
    expect([...known].filter((n) => !covered.has(n))).toEqual([]);
    // Credentials only in the Secret, never in the ConfigMap.
    expect([...envFile.set.keys(), ...envFile.commented].filter((n) => /PASSWORD|USERNAME/.test(n))).toEqual([]);
    expect(secretKeys.sort()).toEqual(['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME', 'SCHEMA_REGISTRY_PASSWORD', 'SCHEMA_REGISTRY_USERNAME']);
    const config = loadConfig(podEnvironment());
    expect(config.env.KAFKA_SASL_MECHANISM).not.toBe('none');
    expect(config.env.KAFKA_BROKERS.length).toBeGreaterThanOrEqual(3);
  });

  it('when the probes are read, then they use paths the API serves, on the container port the worker listens on', () => {
    const port = worker.ports?.find((p) => p.name === 'http');
    expect(port?.containerPort).toBe(Number(podEnvironment()['PORT']));
    for (const probe of [worker.startupProbe, worker.livenessProbe, worker.readinessProbe]) {
      expect(probe?.httpGet?.port).toBe('http');
      const path = probe?.httpGet?.path ?? '';
      expect({ path, served: Boolean((openApiDocument.paths[path] as Record<string, unknown> | undefined)?.['get']) }).toEqual({ path, served: true });
    }
  });

  it('when the probes are read, then they follow the worker’s semantics: liveness and start-up on /health (503 only when fatal), readiness on /ready', () => {
    expect(worker.startupProbe?.httpGet?.path).toBe('/health');
    expect(worker.livenessProbe?.httpGet?.path).toBe('/health');
    expect(worker.readinessProbe?.httpGet?.path).toBe('/ready');
    // The start-up probe covers a model load on a throttled CPU (minutes), liveness then takes over.
    const startupSeconds = (worker.startupProbe?.periodSeconds ?? 10) * (worker.startupProbe?.failureThreshold ?? 3);
    expect(startupSeconds).toBeGreaterThanOrEqual(120);
  });

  it('when the pod is stopped, then Kubernetes waits longer than the worker’s own shutdown deadline before SIGKILL', () => {
    const shutdownMs = loadConfig(podEnvironment()).env.SHUTDOWN_TIMEOUT_MS;
    // docs/operations.md: at least SHUTDOWN_TIMEOUT_MS / 1000 + 10.
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThanOrEqual(shutdownMs + 10_000);
  });

  it('when any container runs (the model init container included), then it is non-root, on a read-only root filesystem, without privileges, with requests and limits', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(Number(pod.securityContext?.['runAsUser'])).toBeGreaterThan(0);
    for (const c of [...allContainers(pod), ...(componentPod.initContainers ?? [])]) {
      expect({ name: c.name, ...c.securityContext }).toMatchObject({ name: c.name, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      for (const kind of ['requests', 'limits'] as const) {
        expect({ name: c.name, kind, cpu: Boolean(c.resources?.[kind]?.['cpu']), memory: Boolean(c.resources?.[kind]?.['memory']) }).toEqual({ name: c.name, kind, cpu: true, memory: true });
      }
    }
    expect(deployment.spec?.['strategy']).toMatchObject({ rollingUpdate: { maxUnavailable: 0 } });
  });

  it('when the worker’s resources are compared with its inference threads, then CPU and memory fit them (docs/operations.md rules of thumb)', () => {
    const threads = loadConfig(podEnvironment()).env.MODEL_THREADS;
    expect(threads).toBeGreaterThan(0);
    const requests = worker.resources?.requests ?? {};
    const limits = worker.resources?.limits ?? {};
    expect(cpuCores(requests['cpu'] ?? '0')).toBeGreaterThanOrEqual(threads + 0.5);
    expect(cpuCores(limits['cpu'] ?? '0')).toBeGreaterThanOrEqual(cpuCores(requests['cpu'] ?? '0'));
    expect(memoryMiB(limits['memory'] ?? '0')).toBeGreaterThanOrEqual(200 + 300 * threads);
  });

  it('when the model comes from the image, then MODEL_DIR is where the Dockerfile puts it; from the init container, then the worker mounts its volume there read-only', () => {
    const dockerfileModelDir = /ENV MODEL_DIR=(\S+)/.exec(readRepoFile('Dockerfile'))?.[1];
    expect(envFile.set.get('MODEL_DIR')).toBe(dockerfileModelDir);
    const init = componentPod.initContainers?.[0];
    const volume = init?.volumeMounts?.[0];
    const mount = componentPod.containers.find((c) => c.name === 'worker')?.volumeMounts?.find((m) => m.name === volume?.name);
    expect(mount?.readOnly).toBe(true);
    expect(dockerfileModelDir?.startsWith(`${mount?.mountPath}/`)).toBe(true);
    expect(componentPod.volumes?.find((v) => v.name === volume?.name)).toHaveProperty('emptyDir');
  });

  it('when KEDA scales on lag, then it watches the worker’s own group, topic and brokers, with at most one replica per input partition', () => {
    const env = loadConfig(podEnvironment()).env;
    const spec = scaledObject.spec as { scaleTargetRef: { name: string }; minReplicaCount: number; maxReplicaCount: number };
    expect(spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    const partitions = Number(/INPUT_PARTITIONS:-(\d+)/.exec(readRepoFile('deploy', 'kafka', 'create-topics.sh'))?.[1]);
    expect(spec.maxReplicaCount).toBe(partitions);
    expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(trigger?.type).toBe('kafka');
    const m = trigger?.metadata ?? {};
    expect(m['bootstrapServers']?.split(',')).toEqual(env.KAFKA_BROKERS);
    expect(m['consumerGroup']).toBe(env.KAFKA_GROUP_ID);
    expect(m['topic']).toBe(env.INPUT_TOPIC);
    expect(m['offsetResetPolicy']).toBe(env.KAFKA_FROM_BEGINNING ? 'earliest' : 'latest');
    const kedaSasl = { none: 'none', plain: 'plaintext', 'scram-sha-256': 'scram_sha256', 'scram-sha-512': 'scram_sha512' } as const;
    expect(m['sasl']).toBe(kedaSasl[env.KAFKA_SASL_MECHANISM]);
    expect(m['tls']).toBe(env.KAFKA_TLS ? 'enable' : 'disable');
    // Idle consumers beyond the partition count would only add rebalances.
    expect(m['allowIdleConsumers']).toBe('false');
  });

  it('when the Kafka trigger is read, then every parameter is one KEDA’s Kafka scaler knows, and its credentials are the worker’s Secret keys', () => {
    const parameters = kedaKafkaParameters();
    expect(Object.keys(trigger?.metadata ?? {}).filter((k) => !parameters[k]?.includes('triggerMetadata'))).toEqual([]);
    const auth = findObject(objects, 'TriggerAuthentication', trigger?.authenticationRef?.name);
    const refs = (auth.spec as { secretTargetRef: Array<{ parameter: string; name: string; key: string }> }).secretTargetRef;
    expect(refs.map((r) => r.parameter).filter((p) => !parameters[p]?.includes('authParams'))).toEqual([]);
    for (const r of refs) expect({ name: r.name, key: r.key, exists: r.name === secretExample.metadata.name && secretKeys.includes(r.key) }).toEqual({ name: r.name, key: r.key, exists: true });
  });

  it('when the lag threshold is read, then it is the per-worker throughput times the target drain time stated beside it', () => {
    const text = readRepoFile(K8S_BASE, 'scaledobject.yaml');
    const arithmetic = /lagThreshold = R x T = (\d+) msg\/s x (\d+) s = (\d+) -> (\d+)/.exec(text);
    expect(arithmetic).not.toBeNull();
    const [, rate, seconds, product, rounded] = (arithmetic as RegExpExecArray).map(Number);
    expect(product).toBe((rate as number) * (seconds as number));
    expect(trigger?.metadata['lagThreshold']).toBe(String(rounded));
    expect(Math.abs((rounded as number) - (product as number)) / (product as number)).toBeLessThan(0.1);
  });

  it('when pods are selected, then the Services, the disruption budget and the spread constraint all pick the Deployment’s pods', () => {
    const podLabels = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(matches((deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels)).toBe(true);
    const services = objects.filter((o): o is KubeObject => o.kind === 'Service');
    for (const s of services) {
      const spec = s.spec as { selector: Record<string, string>; ports: Array<{ targetPort: string }> };
      expect(matches(spec.selector)).toBe(true);
      for (const p of spec.ports) expect(worker.ports?.some((wp) => wp.name === p.targetPort)).toBe(true);
    }
    // Metrics of pods that are not ready are scraped too (those are the interesting ones).
    expect(findObject(objects, 'Service', 'sentiment-worker-metrics').spec).toMatchObject({ publishNotReadyAddresses: true, clusterIP: 'None' });
    const spread = (pod as PodSpec & { topologySpreadConstraints?: Array<{ labelSelector: { matchLabels: Record<string, string> } }> }).topologySpreadConstraints ?? [];
    expect(spread.length).toBeGreaterThan(0);
    for (const c of spread) expect(matches(c.labelSelector.matchLabels)).toBe(true);
    const pdb = findObject(objects, 'PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> }; maxUnavailable: number };
    expect(matches(pdb.selector.matchLabels)).toBe(true);
    expect(pdb.maxUnavailable).toBe(1);
  });
});
