// One UMWorkerProcess.exe webshell write, expressed in the three input shapes, must give the seed rule
// the same ECS fields. The raw forms are real events (OTRF flat Sysmon 11, Winlogbeat Sysmon 23 from
// Elastic's goldens) with the process and target file replaced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectShape, normalise } from '../../../src/inputs/normalise.js';
import { pick } from '../../../src/inputs/shapes/doc-path.js';
import { DATA, flatten } from './golden-pairs.js';
import { SEED_RULE_FIELDS, otrfLines } from './otrf-data.js';

type Doc = Record<string, unknown>;
const IMAGE = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe';
const TARGET = 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx';

function flatEvent(): Doc {
  const line = otrfLines().find((l) => l.includes('ohyeah.aspx') && l.includes('"EventID":11'));
  const doc = JSON.parse(line as string) as Doc;
  return { ...doc, Image: IMAGE, ProcessId: '7312', TargetFilename: TARGET };
}

function winlogbeatEvent(): Doc {
  const path = join(DATA, 'elastic-beats/x-pack/winlogbeat/module/sysmon/test/testdata/collection/sysmon-11-filedelete.evtx.golden.json');
  const doc = structuredClone((JSON.parse(readFileSync(path, 'utf8')) as Doc[])[0]) as Doc;
  const winlog = doc['winlog'] as Doc;
  winlog['event_id'] = '11';
  winlog['event_data'] = {
    RuleName: '-', UtcTime: '2021-03-14 06:40:13.659', ProcessGuid: '{6004D249-FD90-604C-0100-000000000900}',
    ProcessId: '7312', Image: IMAGE, TargetFilename: TARGET, CreationUtcTime: '2021-03-14 06:40:13.659',
  };
  (doc['event'] as Doc)['code'] = '11';
  return doc;
}

/** The same event as Elastic Defend / a re-published Elasticsearch document would hold it. */
function ecsEvent(): Doc {
  return {
    '@timestamp': '2021-03-14T06:40:13.659Z',
    event: { category: ['file'], type: ['creation'], action: 'FileCreate', code: '11', kind: 'event' },
    process: { name: 'UMWorkerProcess.exe', executable: IMAGE, pid: 7312 },
    file: { path: TARGET, name: 'shell.aspx', extension: 'aspx', directory: 'C:\\inetpub\\wwwroot\\aspnet_client' },
    host: { name: 'MXS01.azsentinel.local' },
  };
}

/** Nested winlogbeat output rewritten with dotted keys, as some re-shippers emit it. */
function dotted(doc: Doc): Doc {
  return Object.fromEntries(flatten(doc));
}

const seedView = (e: Doc): Record<string, unknown> => Object.fromEntries([...SEED_RULE_FIELDS].map((f) => [f, pick(e, f)]));

describe('a UMWorkerProcess.exe webshell write in every shape', () => {
  const shapes = { flat: flatEvent(), winlogbeat: winlogbeatEvent(), ecs: ecsEvent() };

  it('is detected as its shape', () => {
    for (const [shape, doc] of Object.entries(shapes)) expect(detectShape(doc)).toBe(shape);
    expect(detectShape(dotted(shapes.winlogbeat))).toBe('winlogbeat');
  });

  it('gives the seed rule the same fields, as Elastic\'s pipeline would set them', () => {
    const expected = {
      'event.category': ['file'], 'event.type': ['creation'], 'process.name': 'UMWorkerProcess.exe',
      'file.extension': 'aspx', 'file.path': TARGET, 'file.name': 'shell.aspx',
    };
    for (const doc of [...Object.values(shapes), dotted(shapes.winlogbeat)]) {
      expect(seedView(normalise(doc, 'auto').ecs)).toEqual(expected);
      expect(seedView(normalise(doc, 'auto', SEED_RULE_FIELDS).ecs)).toEqual(expected);
    }
  });

  it('keeps the file extension\'s case, as the pipeline does (the rule compares it with `:`)', () => {
    const upper = { ...shapes.flat, TargetFilename: 'C:\\inetpub\\wwwroot\\aspnet_client\\SHELL.ASPX' };
    expect(pick(normalise(upper, 'flat').ecs, 'file.extension')).toBe('ASPX');
  });

  it('carries the derived ECS fields and the original fields for the alert', () => {
    const e = normalise(shapes.winlogbeat, 'auto').ecs;
    expect(pick(e, 'winlog.event_data.TargetFilename')).toBe(TARGET);
    expect(pick(e, 'winlog.event_data.Image')).toBe(IMAGE);
    expect(pick(e, 'process.executable')).toBe(IMAGE);
    expect(pick(e, 'process.pid')).toBe(7312);
    expect(pick(e, 'event.action')).toBe('FileCreate');
    expect(pick(e, '@timestamp')).toBe('2021-03-14T06:40:13.659Z');
    expect(pick(e, 'host.name')).toBe('vagrant-2012-r2');
    const f = normalise(shapes.flat, 'auto').ecs;
    expect(pick(f, 'host.name')).toBe('MXS01.azsentinel.local');
    expect(pick(f, 'winlog.event_data.TargetFilename')).toBe(TARGET);
    expect(pick(f, 'winlog.channel')).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(pick(f, 'TargetFilename')).toBe(TARGET);
  });

  it('drops a dotted original key that the derived value replaces', () => {
    const d = dotted(shapes.winlogbeat);
    d['event.action'] = 'File created (rule: FileCreate)';
    const e = normalise(d, 'auto').ecs;
    expect(e['event.action']).toBeUndefined();
    expect(pick(e, 'event.action')).toBe('FileCreate');
    expect(d['event.action']).toBe('File created (rule: FileCreate)');
  });
});
