// The real ProxyLogon capture, normalised from its flat shape.
import { describe, expect, it } from 'vitest';
import { detectShape, normalise } from '../../../src/inputs/normalise.js';
import { pick } from '../../../src/inputs/shapes/doc-path.js';
import { SEED_RULE_FIELDS, otrfLines } from './otrf-data.js';

type Doc = Record<string, unknown>;
const docs = otrfLines().map((l) => JSON.parse(l) as Doc);
const full = docs.map((d) => normalise(d, 'auto').ecs);

const isFileCreation = (e: Doc): boolean => {
  const cat = pick(e, 'event.category');
  const type = pick(e, 'event.type');
  return Array.isArray(cat) && cat.includes('file') && Array.isArray(type) && type.includes('creation');
};

describe('OTRF ProxyLogon dataset (flat shape)', () => {
  it('has 10,487 events, all detected as flat and normalised', () => {
    expect(docs).toHaveLength(10_487);
    for (const d of docs) expect(detectShape(d)).toBe('flat');
    for (const e of full) expect(typeof pick(e, 'event.code')).toBe('string');
  });

  it('maps every Sysmon 11 to a file creation and reports who wrote what', () => {
    const creations = full.filter((e) => pick(e, 'winlog.channel') === 'Microsoft-Windows-Sysmon/Operational' && pick(e, 'event.code') === '11');
    expect(creations).toHaveLength(301);
    for (const e of creations) {
      expect(isFileCreation(e)).toBe(true);
      expect(pick(e, 'file.path')).toBe(pick(e, 'TargetFilename'));
    }
    const writers = new Map<string, number>();
    for (const e of creations) {
      const name = String(pick(e, 'process.name') ?? `(no process.name; Image ${String(pick(e, 'process.executable'))})`);
      writers.set(name, (writers.get(name) ?? 0) + 1);
    }
    console.log('Sysmon 11 writers:', Object.fromEntries([...writers].sort((a, b) => b[1] - a[1])));
    expect(writers.get('svchost.exe')).toBe(280);
    expect(writers.get('w3wp.exe')).toBe(15);
  });

  it('gives the webshell written into owa\\auth by System no process.name, as the pipeline does', () => {
    const shell = full.filter((e) => String(pick(e, 'file.path')).endsWith('\\owa\\auth\\ohyeah.aspx'));
    expect(shell).toHaveLength(1);
    const e = shell[0] as Doc;
    expect(isFileCreation(e)).toBe(true);
    expect(pick(e, 'process.executable')).toBe('System');
    expect(pick(e, 'process.pid')).toBe(4);
    expect(pick(e, 'process.name')).toBeUndefined();
    expect(pick(e, 'file.name')).toBe('ohyeah.aspx');
    expect(pick(e, 'file.extension')).toBe('aspx');
    expect(pick(e, 'file.directory')).toBe('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth');
  });

  it('has no file creation by UMWorkerProcess.exe or umservice.exe, so the seed rule predicts no match', () => {
    const byUm = full.filter(
      (e) => isFileCreation(e) && ['umworkerprocess.exe', 'umservice.exe'].includes(String(pick(e, 'process.name')).toLowerCase()),
    );
    expect(byUm).toEqual([]);
    // Sysmon 17 (pipe created) also counts as a file creation in the pipeline.
    expect(full.filter(isFileCreation)).toHaveLength(301 + 8);
  });

  it('lazy normalisation with the seed rule fields gives those fields exactly as full normalisation does', () => {
    const seedView = (e: Doc): unknown[] => [...SEED_RULE_FIELDS].map((f) => pick(e, f));
    const lazy = docs.map((d) => seedView(normalise(d, 'flat', SEED_RULE_FIELDS).ecs));
    expect(lazy).toEqual(full.map(seedView));
    // …and skips work nobody asked for.
    const logon = docs.find((d) => d['EventID'] === 4624) as Doc;
    expect(pick(normalise(logon, 'flat', SEED_RULE_FIELDS).ecs, 'user.name')).toBeUndefined();
    expect(pick(normalise(logon, 'flat').ecs, 'user.name')).toBeDefined();
  });

  it('keeps the original fields next to the derived ones and leaves the input untouched', () => {
    const before = JSON.stringify(docs[0]);
    const e = normalise(docs[0] as Doc, 'auto').ecs;
    expect(JSON.stringify(docs[0])).toBe(before);
    for (const [k, v] of Object.entries(docs[0] as Doc)) {
      if (k !== '@timestamp') expect(e[k]).toEqual(v);
    }
  });
});
