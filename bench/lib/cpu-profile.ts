import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 .cpuprofile (what `node --cpu-prof` writes) this reads. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where main-thread CPU time goes, by who asked for it. */
export const CpuCategories = [
  'Kafka client library',
  'libs/kafka (our adapter, patches)',
  'decode + validate (libs/events, ajv)',
  'scoring (libs/scoring)',
  'worker steps (services/)',
  'batch pool hand-off (piscina)',
  'HTTP (libs/http, express)',
  'other libraries (prom-client, winston, ...)',
  'node internals (I/O, timers, streams)',
  'native (program)',
  'garbage collector',
] as const;
export type CpuCategory = (typeof CpuCategories)[number];

export interface CpuBreakdown {
  /** Milliseconds of the window the figures cover (first to last sample in a batch step). */
  windowMs: number;
  idleMs: number;
  busyMs: number;
  byCategory: Map<CpuCategory, number>;
}

/** Our code and the Kafka client: the innermost such frame on a stack says who asked for the work. */
function primaryCategory(url: string): CpuCategory | undefined {
  if (url.includes('/node_modules/kafkajs/') || url.includes('/node_modules/@platformatic/')) return 'Kafka client library';
  if (url.includes('/node_modules/')) return undefined;
  if (url.includes('/libs/kafka/')) return 'libs/kafka (our adapter, patches)';
  if (url.includes('/libs/events/')) return 'decode + validate (libs/events, ajv)';
  if (url.includes('/libs/scoring/')) return 'scoring (libs/scoring)';
  if (url.includes('/services/')) return 'worker steps (services/)';
  if (url.includes('/libs/http/')) return 'HTTP (libs/http, express)';
  if (url.includes('/libs/')) return 'other libraries (prom-client, winston, ...)';
  return undefined;
}

/** Other libraries, when no frame of ours or of the Kafka client is on the stack. */
function libraryCategory(url: string): CpuCategory | undefined {
  if (url.includes('/node_modules/ajv/')) return 'decode + validate (libs/events, ajv)';
  if (url.includes('/node_modules/piscina/')) return 'batch pool hand-off (piscina)';
  if (url.includes('/node_modules/express') || url.includes('/node_modules/router/')) return 'HTTP (libs/http, express)';
  if (url.includes('/node_modules/')) return 'other libraries (prom-client, winston, ...)';
  return undefined;
}

/**
 * Attributes every sample to the innermost frame of our code or of the Kafka client on its stack
 * (a Buffer method or an ajv schema compile that the client calls counts as the client), else to
 * the innermost other library, else to what the leaf is: GC, native, or node's own JavaScript. Only samples between the first and the last one inside the worker's batch
 * steps count, which is the drain without start-up and shutdown.
 */
export function cpuBreakdown(profile: CpuProfile): CpuBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = new Map<number, CpuCategory | 'idle'>();
  const inBatchStep = new Map<number, boolean>();
  const classify = (id: number): CpuCategory | 'idle' => {
    const known = categoryOf.get(id);
    if (known) return known;
    const leaf = byId.get(id);
    let found: CpuCategory | 'idle' | undefined;
    let library: CpuCategory | undefined;
    let batch = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      if (url.includes('/services/sentiment-worker/src/batch')) batch = true;
      found ??= primaryCategory(url);
      library ??= libraryCategory(url);
    }
    found ??= library;
    if (found === undefined) {
      const name = leaf?.callFrame.functionName ?? '';
      if (name === '(idle)') found = 'idle';
      else if (name === '(garbage collector)') found = 'garbage collector';
      else if (name === '(program)' || name === '(root)') found = 'native (program)';
      else found = 'node internals (I/O, timers, streams)';
    }
    categoryOf.set(id, found);
    inBatchStep.set(id, batch);
    return found;
  };
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) {
    t += d;
    times.push(t);
  }
  let first = -1;
  let last = -1;
  profile.samples.forEach((id, i) => {
    classify(id);
    if (inBatchStep.get(id)) {
      if (first < 0) first = i;
      last = i;
    }
  });
  const byCategory = new Map<CpuCategory, number>(CpuCategories.map((c) => [c, 0]));
  let idleMs = 0;
  if (first < 0) return { windowMs: 0, idleMs: 0, busyMs: 0, byCategory };
  for (let i = first; i < last; i++) {
    const ms = ((times[i + 1] as number) - (times[i] as number)) / 1000;
    const category = classify(profile.samples[i] as number);
    if (category === 'idle') idleMs += ms;
    else byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
  }
  const windowMs = ((times[last] as number) - (times[first] as number)) / 1000;
  return { windowMs, idleMs, busyMs: windowMs - idleMs, byCategory };
}

/** The main thread's profile among what `--cpu-prof` wrote into `dir` (thread id 0 in the file name; workers have their own). */
export function readMainThreadProfile(dir: string): CpuProfile {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile
  const main = files.find((f) => f.split('.')[4] === '0') ?? files[0];
  if (!main) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(path.join(dir, main), 'utf8')) as CpuProfile;
}

/** CPU of the other threads (the pools) over their whole life, in ms, from their own profiles. */
export function otherThreadsBusyMs(dir: string): number {
  let ms = 0;
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile') && name.split('.')[4] !== '0')) {
    const p = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile;
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    p.samples.forEach((id, i) => {
      if (!idle.has(id)) ms += (p.timeDeltas[i + 1] ?? 0) / 1000;
    });
  }
  return ms;
}
