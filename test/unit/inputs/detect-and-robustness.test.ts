// Shape detection and overrides; bad input never throws out of normalise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedFields, detectShape, normalise } from '../../../src/inputs/normalise.js';
import { pick } from '../../../src/inputs/shapes/doc-path.js';
import { DATA } from './golden-pairs.js';

type Doc = Record<string, unknown>;

describe('detectShape', () => {
  it('sees Elastic Defend sample events as ECS', () => {
    for (const ds of ['file', 'process', 'network', 'registry', 'library', 'security', 'api', 'alerts']) {
      const doc = JSON.parse(readFileSync(join(DATA, `elastic-endpoint-package/package/endpoint/data_stream/${ds}/sample_event.json`), 'utf8')) as Doc;
      expect(detectShape(doc)).toBe('ecs');
    }
  });

  it('passes ECS documents through untouched', () => {
    const doc = { event: { category: 'file' }, 'file.path': 'C:\\x.aspx' };
    expect(normalise(doc, 'auto')).toEqual({ shape: 'ecs', ecs: doc });
    expect(normalise(doc, 'auto').ecs).toBe(doc);
  });

  it('honours a per-topic override', () => {
    const flat = { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\cmd.exe' };
    expect(normalise(flat, 'ecs').ecs).toBe(flat);
    expect(normalise(flat, 'flat').shape).toBe('flat');
    expect(pick(normalise(flat, 'flat').ecs, 'process.name')).toBe('cmd.exe');
    // Forcing the wrong raw shape maps nothing but still returns the document's fields.
    const forced = normalise(flat, 'winlogbeat');
    expect(forced.shape).toBe('winlogbeat');
    expect(forced.ecs['NewProcessName']).toBe('C:\\Windows\\cmd.exe');
  });
});

describe('bad input', () => {
  const hostile: Doc[] = [
    { winlog: [] },
    { winlog: { event_id: { x: 1 }, channel: 42, event_data: 'oops' } },
    { winlog: { event_id: '11', channel: 'Microsoft-Windows-Sysmon/Operational', event_data: null } },
    { winlog: { event_id: '11', channel: 'Microsoft-Windows-Sysmon/Operational', event_data: { TargetFilename: 7, Image: ['a'], Hashes: {} } } },
    { Channel: 'Security', EventID: null, ProcessId: '0xzz', IpPort: 'abc' },
    { Channel: 'Security', EventID: '4688', NewProcessId: '0x' + 'f'.repeat(40), CommandLine: '"'.repeat(5) },
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 13, TargetObject: '\\\\\\', Details: 'QWORD (0x1-0x2)' },
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 22, QueryResults: 'type:;;type: 5;::ffff:999.1.1.1;[::ffff:1.2.3.4]:53;' },
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, UtcTime: '2021-13-45 99:99:99.999', User: 'a\\b\\c' },
    { 'winlog.event_id': '1', 'winlog.channel': 'Microsoft-Windows-Sysmon/Operational', 'winlog.event_data.Image': 'C:\\a\\b.exe', winlog: 5 },
    { __proto__: { polluted: true }, Channel: 'Security', EventID: 4624, constructor: 'x', TargetUserName: '@' } as Doc,
  ];

  it('never throws and maps what it can', () => {
    for (const doc of hostile) {
      for (const shape of ['auto', 'ecs', 'winlogbeat', 'flat'] as const) expect(() => normalise(doc, shape)).not.toThrow();
    }
    expect(pick(normalise(hostile[9] as Doc, 'auto').ecs, 'process.name')).toBe('b.exe');
    expect(({} as Doc)['polluted']).toBeUndefined();
  });

  it('handles huge values in linear time (no argument split beyond the Windows command-line limit)', () => {
    const huge = 'a\\'.repeat(1_000_000);
    const doc = {
      Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: huge, CommandLine: `"${huge}`,
      ParentCommandLine: ' '.repeat(30_000), Hashes: 'MD5=,'.repeat(100_000), TargetFilename: huge,
    };
    const e = normalise(doc, 'auto').ecs;
    expect(pick(e, 'process.command_line')).toBe(`"${huge}`);
    expect(pick(e, 'process.args')).toBeUndefined();
    expect(pick(e, 'process.parent.args')).toEqual([]);
  });

  it('survives arbitrary JSON in any shape (property test)', () => {
    const windowsKeys = fc.constantFrom(
      'Channel', 'EventID', 'Image', 'TargetFilename', 'CommandLine', 'Hashes', 'User', 'QueryResults', 'TargetObject',
      'Details', 'ProcessId', 'NewProcessId', 'IpPort', 'TargetUserName', 'UtcTime', 'winlog', 'event_data', 'event',
      'event_id', 'channel', 'winlog.event_data.Image', 'LogonType', 'Status',
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string(), fc.integer(), fc.boolean(), fc.constant(null),
        fc.constantFrom('Microsoft-Windows-Sysmon/Operational', 'Security', '11', '4688', '0x1f', 'a\\b.c', '-'),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(windowsKeys, fc.string()), tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    const doc = fc.dictionary(fc.oneof(windowsKeys, fc.string()), value, { maxKeys: 8 });
    fc.assert(
      fc.property(doc, fc.constantFrom('auto', 'ecs', 'winlogbeat', 'flat'), (d, shape) => {
        const r = normalise(d as Doc, shape as 'auto');
        expect(typeof r.ecs).toBe('object');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('derivedFields', () => {
  it('lists the computed fields and not the verbatim copies', () => {
    for (const f of ['event.category', 'event.type', 'event.action', 'event.kind', 'event.outcome', 'process.pid', 'network.direction', '@timestamp']) {
      expect(derivedFields.has(f)).toBe(true);
    }
    for (const f of ['file.path', 'file.name', 'file.extension', 'process.name', 'process.executable']) {
      expect(derivedFields.has(f)).toBe(false);
    }
  });

  it('covers every mapped field whose value is not a substring of a raw string value (OTRF and goldens)', async () => {
    const { otrfLines } = await import('./otrf-data.js');
    const { loadGoldenPairs, flatten } = await import('./golden-pairs.js');
    const raws = [
      ...otrfLines().slice(0, 4000),
      ...loadGoldenPairs().map((p) => JSON.stringify(p.input)),
    ];
    const offenders = new Set<string>();
    for (const raw of raws) {
      const doc = JSON.parse(raw) as Doc;
      const before = flatten(doc);
      const rawStrings = [...before.values()].flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === 'string');
      for (const [field, value] of flatten(normalise(doc, 'auto').ecs)) {
        if (before.has(field) && JSON.stringify(before.get(field)) === JSON.stringify(value)) continue;
        const top = field.replace(/\.\d+(\.|$)/g, '$1');
        if (derivedFields.has(field) || isUnder(top)) continue;
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) {
          if (typeof v === 'string' && !rawStrings.some((r) => r.includes(v))) offenders.add(field);
          if (typeof v !== 'string' && v !== null && typeof v !== 'object') offenders.add(field);
        }
      }
    }
    expect([...offenders]).toEqual([]);
  });
});

function isUnder(field: string): boolean {
  for (const d of derivedFields) if (field === d || field.startsWith(`${d}.`)) return true;
  return false;
}
