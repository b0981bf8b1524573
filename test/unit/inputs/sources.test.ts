// sourceFields (explain's "fields each input shape must carry") must be complete: a raw
// event stripped of every event-data field it does not list normalises to the same values
// for the fields the rule reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../src/inputs/normalise.js';
import { sourceFields } from '../../../src/inputs/sources.js';
import { fieldResolver } from '../../../src/compile/fields.js';
import { DATA, loadGoldenPairs } from './golden-pairs.js';

const SEED_FIELDS = ['event.category', 'event.type', 'process.name', 'file.extension', 'file.path', 'file.name'];
const OTHER_RULES = [
  ['event.category', 'registry.path', 'registry.value', 'process.executable'],
  ['event.category', 'destination.ip', 'destination.port', 'process.name', 'user.name'],
  ['event.category', 'event.type', 'process.args', 'process.parent.name', 'process.hash.sha256'],
  ['event.category', 'dns.question.name', 'process.name'],
];
type Doc = Record<string, unknown>;

function values(doc: Doc, fields: readonly string[]): unknown[] {
  return fields.map((f) => fieldResolver(f, 0)(doc));
}

describe('sourceFields', () => {
  it('names what the seed rule needs from each shape', () => {
    const s = sourceFields(SEED_FIELDS);
    expect(s.ecs).toEqual(SEED_FIELDS);
    expect(s.winlogbeat).toEqual(expect.arrayContaining(['winlog.channel', 'winlog.event_id|event.code', 'winlog.event_data.Image', 'winlog.event_data.TargetFilename']));
    expect(s.flat).toEqual(expect.arrayContaining(['Channel', 'EventID', 'Image', 'TargetFilename']));
    expect(s.flat).not.toContain('DestinationIp');
  });

  it.each([SEED_FIELDS, ...OTHER_RULES].map((needed) => ({ needed, names: needed.join(', ') })))('is complete for $names on every golden raw event', ({ needed }) => {
    const kept = new Set(sourceFields(needed).flat);
    const neededSet = new Set(needed);
    let compared = 0;
    for (const { input } of loadGoldenPairs()) {
      const winlog = input['winlog'] as Doc | undefined;
      const data = winlog?.['event_data'] as Doc | undefined;
      if (!data) continue;
      const stripped = { ...input, winlog: { ...winlog, event_data: Object.fromEntries(Object.entries(data).filter(([k]) => kept.has(k))) } };
      const full = normalise(input, 'winlogbeat', neededSet).ecs;
      expect(values(normalise(stripped, 'winlogbeat', neededSet).ecs, needed)).toEqual(values(full, needed));
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it.each([SEED_FIELDS, ...OTHER_RULES].map((needed) => ({ needed, names: needed.join(', ') })))('is complete for $names on the flat OTRF events', ({ needed }) => {
    const kept = new Set(sourceFields(needed).flat);
    const neededSet = new Set(needed);
    const lines = readFileSync(join(DATA, 'otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc_2021-03-14T01401970.json'), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      const input = JSON.parse(line) as Doc;
      const stripped = Object.fromEntries(Object.entries(input).filter(([k]) => kept.has(k)));
      expect(values(normalise(stripped, 'flat', neededSet).ecs, needed)).toEqual(values(normalise(input, 'flat', neededSet).ecs, needed));
    }
  });
});
