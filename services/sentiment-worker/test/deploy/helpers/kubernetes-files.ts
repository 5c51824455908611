import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { readRepoFile, repoPath } from './deploy-files';

/** Where the manifests live, relative to the repository root. */
export const K8S_BASE = 'deploy/kubernetes/base';
export const K8S_OVERLAY_MODEL_VOLUME = 'deploy/kubernetes/overlays/model-volume';
export const K8S_MODEL_COMPONENT = 'deploy/kubernetes/components/model-init-container';
/** Kubernetes minors the manifests are validated against (the vendored schema directories). */
export const K8S_VERSIONS = ['1.33.0', '1.37.0'];
export const K8S_SCHEMAS = 'services/sentiment-worker/test/deploy/kubernetes-schemas';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Kustomization {
  resources?: string[];
  components?: string[];
  patches?: Array<{ path: string }>;
  configMapGenerator?: Array<{ name: string; envs?: string[] }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}

export function readKustomization(dir: string): Kustomization {
  return parseYaml(readRepoFile(dir, 'kustomization.yaml')) as Kustomization;
}

/** Every object of a YAML file (several documents allowed). */
export function readObjects(...parts: string[]): KubeObject[] {
  return parseAllDocuments(readRepoFile(...parts))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** The objects the base kustomization lists in `resources`, as written (before kustomize). */
export function baseObjects(): KubeObject[] {
  return (readKustomization(K8S_BASE).resources ?? []).flatMap((file) => readObjects(K8S_BASE, file));
}

export function findObject(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in the manifests`);
  return found;
}

export interface EnvFile {
  /** Lines `NAME=value`. */
  set: Map<string, string>;
  /** Lines `# NAME=value`: documented, left at the worker's default. */
  commented: Set<string>;
}

/** A kustomize `envs` file: NAME=value lines, comments, and commented-out settings. */
export function readEnvFile(...parts: string[]): EnvFile {
  const set = new Map<string, string>();
  const commented = new Set<string>();
  for (const raw of readRepoFile(...parts).split('\n')) {
    const line = raw.trim();
    const active = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (active) {
      set.set(active[1] as string, active[2] as string);
      continue;
    }
    const off = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (off) commented.add(off[1] as string);
  }
  return { set, commented };
}

export interface ContainerSpec {
  name: string;
  image?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface PodSpec {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  volumes?: Array<{ name: string; [key: string]: unknown }>;
}

export function podSpec(deployment: KubeObject): PodSpec {
  return (deployment.spec as { template: { spec: PodSpec } }).template.spec;
}

/** Kubernetes quantities: '2500m' -> 2.5 cores, '900Mi' -> 900 MiB. */
export function cpuCores(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

export function memoryMiB(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)?$/.exec(q);
  if (!m) throw new Error(`unsupported memory quantity ${q}`);
  const n = Number(m[1]);
  return m[2] === 'Gi' ? n * 1024 : m[2] === 'Ki' ? n / 1024 : m[2] === 'Mi' ? n : n / 1024 / 1024;
}

// ---------------------------------------------------------------------------------------------
// kustomize and kubeconform (scripts/k8s/install-validator.sh)

export interface KubeTools {
  kustomize: string;
  kubeconform: string;
}

/** The validators: $KUSTOMIZE / $KUBECONFORM, else .cache/k8s-tools/bin, else PATH; undefined when missing. */
export function findKubeTools(): KubeTools | undefined {
  const find = (name: string, envVar: string): string | undefined => {
    const explicit = process.env[envVar];
    if (explicit) return existsSync(explicit) ? explicit : undefined;
    const cached = repoPath('.cache', 'k8s-tools', 'bin', name);
    if (existsSync(cached)) return cached;
    const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    return onPath.status === 0 ? onPath.stdout.trim() : undefined;
  };
  const kustomize = find('kustomize', 'KUSTOMIZE');
  const kubeconform = find('kubeconform', 'KUBECONFORM');
  return kustomize && kubeconform ? { kustomize, kubeconform } : undefined;
}

/** `kustomize build <dir>`: the YAML `kubectl apply -k` would send. */
export function kustomizeBuild(tools: KubeTools, dir: string): string {
  const result = spawnSync(tools.kustomize, ['build', repoPath(dir)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

export interface KubeconformResult {
  status: number | null;
  output: string;
}

/**
 * kubeconform -strict on YAML from stdin, against the vendored schemas only. A proxy that goes
 * nowhere makes any attempt to download a schema fail: the check is offline by construction.
 */
export function kubeconform(tools: KubeTools, yamlText: string, kubernetesVersion: string): KubeconformResult {
  const schemas = repoPath(K8S_SCHEMAS);
  const result = spawnSync(
    tools.kubeconform,
    [
      '-strict',
      '-summary',
      '-kubernetes-version',
      kubernetesVersion,
      '-schema-location',
      `${schemas}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      '-schema-location',
      `${schemas}/crds/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      '-',
    ],
    {
      input: yamlText,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The Kafka trigger parameters KEDA's scaler reads (vendored from its source with the schemas). */
export function kedaKafkaParameters(): Record<string, string[]> {
  const file = repoPath(K8S_SCHEMAS, 'crds', 'kafka-scaler-parameters.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { parameters: Record<string, string[]> }).parameters;
}
