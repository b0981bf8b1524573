// Normalisation cost on a corpus of raw messages, as a ratio to JSON.parse alone.
// Standalone: `npx tsx bench/normalise.ts [ndjson-file]` (default: the OTRF ProxyLogon capture, flat shape).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLIC_DATA_DIR } from './corpus.js';
import { normalise } from '../src/inputs/normalise.js';

export interface NormaliseBenchRow {
  name: string;
  eventsPerSec: number;
  /** Time per event relative to JSON.parse alone (1.0 = no extra cost). */
  ratioToParse: number;
}

/** The fields the seed rule reads ("Microsoft Exchange Server UM Writing Suspicious Files"). */
const SEED_RULE_FIELDS: ReadonlySet<string> = new Set([
  'event.category', 'event.type', 'process.name', 'file.extension', 'file.path', 'file.name',
]);

const ROUNDS = 7;

type Variant = (buf: Buffer) => unknown;

const variants: readonly [string, Variant][] = [
  ['JSON.parse', (buf) => JSON.parse(buf.toString('utf8'))],
  ['JSON.parse + normalise (full)', (buf) => normalise(JSON.parse(buf.toString('utf8')) as Record<string, unknown>, 'auto')],
  [
    'JSON.parse + normalise (lazy: seed rule fields)',
    (buf) => normalise(JSON.parse(buf.toString('utf8')) as Record<string, unknown>, 'auto', SEED_RULE_FIELDS),
  ],
];

function runOnce(corpus: readonly Buffer[], fn: Variant): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const buf of corpus) if (fn(buf) !== undefined) sink++;
  const ns = Number(process.hrtime.bigint() - start);
  if (sink !== corpus.length) throw new Error('bench: a variant returned nothing');
  return ns;
}

/** Rounds interleave the variants so machine noise hits them alike; the best round counts (as in performance.md). */
export async function benchNormalise(corpus: Buffer[]): Promise<NormaliseBenchRow[]> {
  if (corpus.length === 0) throw new Error('bench: empty corpus');
  for (const [, fn] of variants) runOnce(corpus, fn); // warm-up: JIT and inline caches
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    variants.forEach(([, fn], i) => times[i]?.push(runOnce(corpus, fn)));
    await new Promise((resolve) => setImmediate(resolve)); // let the event loop breathe between rounds
  }
  const perEvent = times.map((t) => Math.min(...t) / corpus.length);
  const parse = perEvent[0] as number;
  return variants.map(([name], i) => ({
    name,
    eventsPerSec: Math.round(1e9 / (perEvent[i] as number)),
    ratioToParse: Number(((perEvent[i] as number) / parse).toFixed(3)),
  }));
}

export const OTRF_CORPUS = join(PUBLIC_DATA_DIR, 'otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc_2021-03-14T01401970.json');

export function loadNdjson(path: string): Buffer[] {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => Buffer.from(l, 'utf8'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? OTRF_CORPUS;
  const corpus = loadNdjson(file);
  const rows = await benchNormalise(corpus);
  console.log(`normalise bench: ${corpus.length} events from ${file}`);
  console.table(rows);
}
