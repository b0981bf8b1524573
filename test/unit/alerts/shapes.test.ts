// The same webshell write, arriving as ECS, as raw Winlogbeat and as flat Windows JSON, gives the same alert:
// the same rule fields, reason, ECS fields of interest, original time, and (at the same Kafka coordinates) id.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAlert, type AlertDocument } from '../../../src/alerts/alert.js';
import { fieldValues } from '../../../src/alerts/fields.js';
import { FramedDecoder } from '../../../src/inputs/decode.js';
import { derivedFields } from '../../../src/inputs/normalise.js';
import { alertView, evaluateRecord, ruleSet } from '../../../src/pipeline/evaluate.js';
import { loadRules } from '../../../src/rules/loader.js';

const dir = new URL('../../../sample-data/attacks/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as { id: string; expected: boolean }[];
const lines = (shape: string) => readFileSync(new URL(`${shape}.ndjson`, dir), 'utf8').split('\n').filter(Boolean);
const FIELDS = [
  'kibana.alert.uuid', 'kibana.alert.rule.rule_id', 'kibana.alert.rule.name', 'kibana.alert.rule.version', 'kibana.alert.severity',
  'kibana.alert.risk_score', 'kibana.alert.reason', 'kibana.alert.original_time', 'event.kind', 'event.category', 'event.type',
  'host.name', 'process.name', 'process.executable', 'process.pid', 'file.path', 'file.name', 'file.extension', 'file.directory',
];
const projection = (a: AlertDocument) => Object.fromEntries(FIELDS.map((f) => [f, a[f] ?? fieldValues(a, f)]));

describe('one webshell write in three input shapes', async () => {
  const rules = await loadRules(undefined, { derivedFields });
  const set = ruleSet(rules, 'auto');
  const options = { maxMessageBytes: 1 << 20, prefilter: true, framed: new FramedDecoder(null) };
  const now = new Date('2026-01-02T03:04:05.000Z');
  const alertOf = async (line: string): Promise<AlertDocument | null> => {
    const outcome = await evaluateRecord(Buffer.from(line), set, options);
    if (outcome.kind !== 'evaluated' || outcome.hits.length === 0) return null;
    return buildAlert(outcome.hits[0]!, alertView(outcome), { topic: 'logs-windows.any', partition: 0, offset: '7' }, now);
  };

  it.each(cases.map((c, i) => ({ ...c, i })))('$id: the same alert, or none, from ecs, winlogbeat and flat', async ({ expected, i }) => {
    const [ecs, winlogbeat, flat] = await Promise.all(['ecs', 'winlogbeat', 'flat'].map((s) => alertOf(lines(s)[i]!)));
    if (!expected) {
      expect([ecs, winlogbeat, flat]).toEqual([null, null, null]);
      return;
    }
    expect(projection(winlogbeat!)).toEqual(projection(ecs!));
    // The flat events copy the OTRF capture's Sysmon version, whose FileCreate has no User field: no "by SYSTEM".
    expect(projection(flat!)).toEqual({ ...projection(ecs!), 'kibana.alert.reason': String(ecs!['kibana.alert.reason']).replace(' by SYSTEM', '') });
    expect(ecs!['kibana.alert.reason']).toMatch(/^file event with process (UMWorkerProcess|umservice)\.exe, file .+, by SYSTEM on EXCH01\.contoso\.local created medium alert Microsoft Exchange Server UM Writing Suspicious Files\.$/i);
  });
});
