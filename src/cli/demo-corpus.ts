// The demo's events: the bundled real public events (sample-data/public/<shape>/)
// and the crafted attack events (sample-data/attacks/<shape>.ndjson, one line per
// case of cases.json, in its order), plus a few malformed records for the
// dead-letter topic. Which records the seed rule must fire on is known by
// construction: the crafted cases marked `expected`, and nothing else.
import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ndjsonLines } from '../inputs/ndjson.js';
import type { InputShape } from '../inputs/types.js';

export const SAMPLE_DATA = fileURLToPath(new URL('../../sample-data/', import.meta.url));
const MAX_LINE_BYTES = 1024 * 1024;

export interface DemoRecord {
  readonly value: Buffer;
  /** Where it comes from: `file:line`. */
  readonly label: string;
  /** The seed rule must fire on it. */
  readonly hit: boolean;
  readonly kind: 'real' | 'crafted' | 'malformed';
}

export interface DemoCorpus {
  readonly shape: InputShape;
  readonly records: readonly DemoRecord[];
}

interface AttackCase {
  readonly id: string;
  readonly expected: boolean;
}

const SHAPES: readonly InputShape[] = ['ecs', 'winlogbeat', 'flat'];

/** Malformed records, each a different dead-letter reason. */
const MALFORMED: readonly { value: Buffer; label: string }[] = [
  { value: Buffer.from('this is not JSON'), label: 'malformed:not-json' },
  { value: Buffer.from('{"EventID":11,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\\\'), label: 'malformed:truncated' },
  { value: Buffer.from('["an","array"]'), label: 'malformed:array' },
];

async function fileRecords(file: string, kind: DemoRecord['kind'], hitAt: (index: number) => boolean): Promise<DemoRecord[]> {
  const out: DemoRecord[] = [];
  for await (const { line, value } of ndjsonLines(createReadStream(file), MAX_LINE_BYTES)) {
    if (value === null) throw new Error(`${file}:${line}: line longer than ${MAX_LINE_BYTES} bytes`);
    out.push({ value, label: `${file.slice(SAMPLE_DATA.length)}:${line}`, hit: hitAt(out.length), kind });
  }
  return out;
}

/** Per input shape: the real events, then the crafted attacks; the malformed records go with the flat shape. */
export async function loadDemoCorpus(): Promise<DemoCorpus[]> {
  const cases = JSON.parse(readFileSync(join(SAMPLE_DATA, 'attacks', 'cases.json'), 'utf8')) as AttackCase[];
  const corpora: DemoCorpus[] = [];
  for (const shape of SHAPES) {
    const publicDir = join(SAMPLE_DATA, 'public', shape);
    const records: DemoRecord[] = [];
    for (const name of readdirSync(publicDir).filter((n) => n.endsWith('.ndjson')).sort()) {
      records.push(...(await fileRecords(join(publicDir, name), 'real', () => false)));
    }
    const attacksFile = join(SAMPLE_DATA, 'attacks', `${shape}.ndjson`);
    const attacks = await fileRecords(attacksFile, 'crafted', (i) => cases[i]?.expected === true);
    if (attacks.length !== cases.length) throw new Error(`${attacksFile} has ${attacks.length} events, cases.json ${cases.length} cases`);
    records.push(...attacks);
    if (shape === 'flat') records.push(...MALFORMED.map((m) => ({ ...m, hit: false, kind: 'malformed' as const })));
    corpora.push({ shape, records });
  }
  return corpora;
}
