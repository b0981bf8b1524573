// Elastic's golden files as (raw input, expected pipeline output) pairs, and the field-by-field
// comparison of our normalisation against them. Used by golden.test.ts and the docs table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalise } from '../../../src/inputs/normalise.js';

export const DATA = fileURLToPath(new URL('../../../../shared/data/public', import.meta.url));
const BEATS = join(DATA, 'elastic-beats/x-pack/winlogbeat/module');
const SYSMON_PIPELINE = join(DATA, 'elastic-integrations/packages/windows/data_stream/sysmon_operational/_dev/test/pipeline');

type Doc = Record<string, unknown>;

export interface GoldenPair {
  readonly source: string;
  readonly index: number;
  readonly input: Doc;
  readonly expected: Doc;
}

const BEATS_PAIRS = [
  'sysmon/sysmon-9.01',
  'sysmon/sysmon-11-filedelete',
  'sysmon/sysmon-11-filedeletedetected',
  'sysmon/sysmon-11-registry',
  'sysmon/sysmon-12-loadimage',
  'sysmon/sysmon-12-processcreate',
  'sysmon/sysmon-13-clipboardchange',
  'sysmon/sysmon-13-processtampering',
  'sysmon/sysmon-no-evtx',
  'security/security-windows2012r2-logon',
  'security/security-windows2019_4688_Process_Created',
];

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function loadGoldenPairs(): GoldenPair[] {
  const pairs: GoldenPair[] = [];
  for (const name of BEATS_PAIRS) {
    const [module, file] = name.split('/') as [string, string];
    const inputs = readJson(join(BEATS, module, 'test/testdata/collection', `${file}.evtx.golden.json`)) as Doc[];
    const outputs = readJson(join(BEATS, module, 'test/testdata/ingest', `${file}.golden.json`)) as Doc[];
    inputs.forEach((input, index) => pairs.push({ source: `beats ${file}`, index, input, expected: outputs[index] as Doc }));
  }
  // Integrations pipeline test: the saved input and expected files are from different commits;
  // expected docs 0–208 pair with the 209 inputs by position (SOURCES.md).
  const events = (readJson(join(SYSMON_PIPELINE, 'test-events.json')) as { events: Doc[] }).events;
  const expected = (readJson(join(SYSMON_PIPELINE, 'test-events.json-expected.json')) as { expected: Doc[] }).expected;
  events.forEach((input, index) =>
    pairs.push({ source: 'integrations test-events', index, input, expected: expected[index] as Doc }),
  );
  const failedSig = (readJson(join(SYSMON_PIPELINE, 'test-image-loaded-failed-signature.json')) as { events: Doc[] }).events;
  const failedSigExpected = (
    readJson(join(SYSMON_PIPELINE, 'test-image-loaded-failed-signature.json-expected.json')) as { expected: Doc[] }
  ).expected;
  failedSig.forEach((input, index) =>
    pairs.push({ source: 'integrations failed-signature', index, input, expected: failedSigExpected[index] as Doc }),
  );
  return pairs;
}

/** Leaf paths of a document (arrays are leaves). */
export function flatten(doc: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    for (const [k, v] of Object.entries(doc)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else out.set(prefix, doc);
  return out;
}

export function eventId(doc: Doc): string {
  const winlog = doc['winlog'] as Doc | undefined;
  return String(winlog?.['event_id'] ?? '?');
}

export function channelOf(doc: Doc): string {
  const winlog = doc['winlog'] as Doc | undefined;
  return String(winlog?.['channel'] ?? '?').startsWith('Microsoft-Windows-Sysmon') ? 'Sysmon' : 'Security';
}

export interface FieldDiff {
  readonly field: string;
  readonly ours: unknown;
  readonly expected: unknown;
}

export interface PairResult {
  readonly pair: GoldenPair;
  /** Fields our normalisation set or changed. */
  readonly mapped: readonly string[];
  /** Mapped fields whose value differs from the expected output (after the documented exceptions). */
  readonly disagreements: readonly FieldDiff[];
  /** Mapped fields that differ only for a documented reason, with that reason. */
  readonly explained: readonly (FieldDiff & { reason: string })[];
  /** Fields the pipeline added that we do not produce. */
  readonly notMapped: readonly string[];
}

/** JSON with object keys sorted, so key order never counts as a difference. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return same(a, b);
  const sa = a.map(canonical).sort();
  const sb = b.map(canonical).sort();
  return same(sa, sb);
}

/**
 * Why a mapped field may legitimately differ from an expected document, or undefined.
 * Each reason is documented in docs/normalisation.md.
 */
export function explainDifference(field: string, ours: unknown, expected: unknown, pair: GoldenPair): string | undefined {
  const ecsVersion = String((pair.expected['ecs'] as Doc | undefined)?.['version'] ?? '');
  if (field === 'event.action' && ecsVersion === '1.12.0' && expected === flatten(pair.input).get('event.action')) {
    return 'older Sysmon pipeline (ecs 1.12.0) kept Winlogbeat\'s task name as event.action; the current one sets it per event id';
  }
  if (field === 'event.action' && ecsVersion === '1.12.0' && expected === undefined) {
    return 'older Sysmon pipeline (ecs 1.12.0) set no event.action for this event id; the current one does';
  }
  if (field === 'event.module' && expected === undefined && pair.source.startsWith('integrations')) {
    return 'Elastic Agent data streams carry event.module as a constant_keyword in the index mapping, not in the document';
  }
  const code = eventId(pair.input);
  if (field === 'event.created' && expected === undefined && pair.source.startsWith('beats')) {
    return 'the Winlogbeat module pipeline sets no event.created; the integrations pipeline does (from winlog.time_created)';
  }
  if (
    typeof ours === 'string' && ours.toLowerCase() === expected &&
    flatten(pair.input).get('winlog.provider_guid') !== flatten(pair.expected).get('winlog.provider_guid')
  ) {
    return 'before/after files rendered by different Winlogbeat versions: GUID letter case differs (winlog.provider_guid too)';
  }
  if (code === '26' && field.startsWith('file.hash.') && expected === undefined) {
    return 'the stored pipeline files Sysmon 26 Hashes under file.hash (the deleted file); these expected outputs predate that and used process.hash';
  }
  const inputAction = flatten(pair.input).get('event.action');
  if (field === 'event.action' && (expected === undefined || expected === inputAction) && pair.source === 'integrations test-events') {
    return 'the stored expected file predates per-id event.action in the integrations pipeline (the beats 8.17.0 goldens have it)';
  }
  if (code === '7' && ['event.category', 'event.type', 'event.action'].includes(field) && pair.source === 'integrations failed-signature') {
    return 'this expected file (ecs 8.17.0) comes from a newer pipeline that files Sysmon 7 as process+library / change+start, action ["Image loaded","load"], and adds dll.*';
  }
  if (field.startsWith('related.') && sameSet(ours, expected)) {
    return 'related.* order follows a Java HashMap iteration in the pipeline; same values';
  }
  return undefined;
}

export function compareGoldenPair(pair: GoldenPair): PairResult {
  const before = flatten(pair.input);
  const after = flatten(normalise(pair.input, 'auto').ecs);
  const expected = flatten(pair.expected);
  const mapped: string[] = [];
  const disagreements: FieldDiff[] = [];
  const explained: (FieldDiff & { reason: string })[] = [];
  for (const [field, ours] of after) {
    if (before.has(field) && same(before.get(field), ours)) continue;
    mapped.push(field);
    const exp = expected.get(field);
    if (same(ours, exp)) continue;
    const reason = explainDifference(field, ours, exp, pair);
    if (reason === undefined) disagreements.push({ field, ours, expected: exp });
    else explained.push({ field, ours, expected: exp, reason });
  }
  const notMapped = [...expected.keys()].filter(
    (f) => !after.has(f) && !(before.has(f) && same(before.get(f), expected.get(f))),
  );
  return { pair, mapped, disagreements, explained, notMapped };
}

/**
 * Fields Elastic's pipelines add that we deliberately do not produce, with the reason
 * (mirrored in docs/normalisation.md). Array indices are written as `N`.
 */
export const NOT_MAPPED: Readonly<Record<string, string>> = {
  'ecs.version': 'a pipeline version marker; our output claims no ECS version',
  'event.ingested': 'set by Elasticsearch at index time',
  'dns.question.registered_domain': 'needs the Public Suffix List',
  'dns.question.subdomain': 'needs the Public Suffix List',
  'dns.question.top_level_domain': 'needs the Public Suffix List',
  'network.community_id': 'a flow hash (Community ID v1); no loaded rule reads it',
  'sysmon.dns.status': 'non-ECS; translating needs the pipeline\'s 190-entry Windows error table',
  'winlog.logon.failure.reason': 'needs the pipeline\'s %%-message table',
  'winlog.api': 'not a pipeline field: the before/after files of this pair come from different Winlogbeat versions',
  'process.hash.sha256': 'older pipelines filed Sysmon 26 Hashes under process.hash; the stored pipeline uses file.hash',
  'dll.path': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.name': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.hash.md5': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.hash.sha1': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.hash.sha256': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.pe.imphash': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.pe.original_file_name': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'dll.code_signature.status': 'newer pipeline (ecs 8.17.0) only: Sysmon 7 dll.* fields',
  'file.code_signature.trusted': 'newer pipeline (ecs 8.17.0) only',
};

export interface AgreementRow {
  readonly channel: string;
  readonly eventId: string;
  readonly pairs: number;
  readonly fieldsCompared: number;
  readonly agreeing: number;
  readonly explained: number;
  readonly disagreeing: number;
}

export function agreementTable(results: readonly PairResult[]): AgreementRow[] {
  const rows = new Map<string, { channel: string; eventId: string; pairs: number; fields: number; explained: number; bad: number }>();
  for (const r of results) {
    const channel = channelOf(r.pair.input);
    const id = eventId(r.pair.input);
    const key = `${channel} ${id.padStart(5, '0')}`;
    const row = rows.get(key) ?? { channel, eventId: id, pairs: 0, fields: 0, explained: 0, bad: 0 };
    row.pairs++;
    row.fields += r.mapped.length;
    row.explained += r.explained.length;
    row.bad += r.disagreements.length;
    rows.set(key, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => ({
      channel: r.channel,
      eventId: r.eventId,
      pairs: r.pairs,
      fieldsCompared: r.fields,
      agreeing: r.fields - r.explained - r.bad,
      explained: r.explained,
      disagreeing: r.bad,
    }));
}

export function agreementMarkdown(rows: readonly AgreementRow[]): string {
  const lines = [
    '| channel | event id | pairs | mapped fields compared | agree | differ, explained | differ, unexplained |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.channel} | ${r.eventId} | ${r.pairs} | ${r.fieldsCompared} | ${r.agreeing} | ${r.explained} | ${r.disagreeing} |`);
  }
  return lines.join('\n');
}
