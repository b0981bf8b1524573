// The OTRF ProxyLogon dataset (flat Windows event JSON from a real Exchange server).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA } from './golden-pairs.js';

export const OTRF_FILE = join(
  DATA,
  'otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc_2021-03-14T01401970.json',
);

export function otrfLines(): string[] {
  return readFileSync(OTRF_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

/** The fields the seed rule reads (rule.md). */
export const SEED_RULE_FIELDS: ReadonlySet<string> = new Set([
  'event.category', 'event.type', 'process.name', 'file.extension', 'file.path', 'file.name',
]);
