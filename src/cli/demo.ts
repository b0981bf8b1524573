// `eql-stream demo` (`npm run demo`): the whole pipeline on the bundled real events.
// Starts the local broker and registry (scripts/services.sh) unless --brokers names
// a cluster, creates fresh topics, produces every sample-data event (real ones and
// crafted attacks, in all three input shapes, plus malformed records), runs the
// worker until it has committed everything, reads the alerts and dead letters back,
// checks them against what the rule must find, prints them, and cleans up.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { alertId, type AlertDocument } from '../alerts/alert.js';
import { fieldValues } from '../alerts/fields.js';
import { derivedFields } from '../inputs/normalise.js';
import { loadConfig } from '../ops/config.js';
import { startOpsServer } from '../ops/http.js';
import { createLogger, type Logger } from '../ops/logger.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import { DLQ_HEADERS } from '../pipeline/dead-letter.js';
import type { InputRecord, KafkaClient, OutputRecord, StreamAdmin } from '../pipeline/kafka.js';
import { createKafkajsClient } from '../pipeline/kafkajs-adapter.js';
import { Worker } from '../pipeline/worker.js';
import { loadRules } from '../rules/loader.js';
import type { Rule } from '../rules/types.js';
import { loadDemoCorpus, type DemoCorpus } from './demo-corpus.js';
import { integerFlag } from './flags.js';

export const DEMO_USAGE = `usage: eql-stream demo [options]
  --brokers h:p,h:p   use this Kafka cluster instead of starting the local broker
  --partitions N      partitions of each input topic (default 3)
  --keep-topics       leave the demo's topics in place (default: deleted at the end)
  --keep-services     leave the local broker and registry running (default: stopped if the demo started them)
  --timeout-s N       longest wait for the worker to catch up (default 180)`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A topic per input shape, each covered by one of the seed rule's index patterns. */
const TOPIC_PREFIX = { ecs: 'logs-endpoint.events.file-demo', winlogbeat: 'winlogbeat-demo', flat: 'logs-windows.sysmon_operational-demo' } as const;
const PRODUCE_CHUNK = 500;

export interface DemoOptions {
  /** null: the local broker (the command starts it with scripts/services.sh when not running). */
  readonly brokers: readonly string[] | null;
  readonly partitions: number;
  readonly keepTopics: boolean;
  /** The command only: leave local services it started running. */
  readonly keepServices: boolean;
  readonly timeoutMs: number;
  /** Where progress lines go. */
  readonly say: (line: string) => void;
}

export interface DemoResult {
  /** Every expected alert arrived exactly once, nothing else did, and every malformed record was dead-lettered. */
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly alerts: readonly AlertDocument[];
  readonly expectedAlertIds: readonly string[];
  readonly deadLetters: readonly { reason: string; topic: string }[];
  readonly produced: { readonly real: number; readonly crafted: number; readonly malformed: number };
  readonly metrics: Metrics;
  readonly workerLog: string;
}

export async function demoCommand(argv: string[]): Promise<number> {
  let options: DemoOptions;
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        brokers: { type: 'string' },
        partitions: { type: 'string', default: '3' },
        'keep-topics': { type: 'boolean', default: false },
        'keep-services': { type: 'boolean', default: false },
        'timeout-s': { type: 'string', default: '180' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(`${DEMO_USAGE}\n`);
      return 0;
    }
    options = {
      brokers: values.brokers === undefined ? null : values.brokers.split(',').map((b) => b.trim()).filter(Boolean),
      partitions: integerFlag('--partitions', values.partitions, 1, 64),
      keepTopics: values['keep-topics'],
      keepServices: values['keep-services'],
      timeoutMs: integerFlag('--timeout-s', values['timeout-s'], 1, 3600) * 1000,
      say: (line) => process.stdout.write(`${line}\n`),
    };
  } catch (e) {
    process.stderr.write(`eql-stream demo: ${(e as Error).message}\n${DEMO_USAGE}\n`);
    return 2;
  }
  let startedServices = false;
  try {
    startedServices = options.brokers === null && startLocalServices(options.say);
    const result = await runDemo(options);
    await printReport(result, options.say);
    return result.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write(`eql-stream demo failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (startedServices && !options.keepServices) stopLocalServices(options.say);
  }
}

/** The demo against running brokers (the local ones when `o.brokers` is null). */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const brokers = o.brokers ?? ['127.0.0.1:9092'];
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const logDir = join(ROOT, '.local', 'demo');
  mkdirSync(logDir, { recursive: true });
  const workerLog = join(logDir, `worker-${runId}.log`);
  const logger = createLogger('info', pino.destination({ dest: workerLog, sync: true }));
  const client = createKafkajsClient({ brokers, clientId: 'eql-stream-demo' }, logger);
  const admin = client.admin();
  const names = {
    input: Object.fromEntries(Object.entries(TOPIC_PREFIX).map(([shape, prefix]) => [shape, `${prefix}-${runId}`])) as Record<keyof typeof TOPIC_PREFIX, string>,
    alerts: `eql-stream-demo-${runId}-alerts`,
    deadLetter: `eql-stream-demo-${runId}-dead-letter`,
    group: `eql-stream-demo-${runId}`,
  };
  const inputTopics = Object.values(names.input);
  await admin.connect();
  try {
    await admin.createTopics([
      ...inputTopics.map((topic) => ({ topic, partitions: o.partitions })),
      { topic: names.alerts, partitions: 1 },
      { topic: names.deadLetter, partitions: 1 },
    ]);
    o.say(`topics: ${inputTopics.join(', ')} (${o.partitions} partitions each); alerts to ${names.alerts}`);

    const rules = await loadRules(undefined, { derivedFields });
    const corpora = await loadDemoCorpus();
    const expectedAlertIds = await produceCorpora(client, corpora, names.input, o.partitions, rules);
    const produced = { real: 0, crafted: 0, malformed: 0 };
    for (const c of corpora) for (const r of c.records) produced[r.kind]++;
    o.say(`produced ${produced.real} real events, ${produced.crafted} crafted attack events and ${produced.malformed} malformed records`);

    const metrics = createMetrics();
    await runWorkerUntilCaughtUp(client, admin, rules, metrics, logger, names, inputTopics, o);
    const { alerts, deadLetters } = await readOutputs(client, admin, names.alerts, names.deadLetter, runId);
    const problems = check(alerts, expectedAlertIds, deadLetters, produced.malformed);
    return { ok: problems.length === 0, problems, alerts, expectedAlertIds, deadLetters, produced, metrics, workerLog };
  } finally {
    if (!o.keepTopics) await admin.deleteTopics([...inputTopics, names.alerts, names.deadLetter]).catch(() => undefined);
    await admin.disconnect();
    logger.flush();
  }
}

/** Starts the local broker and registry unless they already answer; true when this call started them. */
function startLocalServices(say: (line: string) => void): boolean {
  const script = join(ROOT, 'scripts', 'services.sh');
  if (spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0) {
    say('local Kafka broker and schema registry already running: using them');
    return false;
  }
  say('starting the local Kafka broker and schema registry (scripts/services.sh; the first run downloads them)…');
  const r = spawnSync('bash', [script, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/services.sh start failed (see the log it names above)');
  return true;
}

function stopLocalServices(say: (line: string) => void): void {
  say('stopping the local Kafka broker and schema registry');
  spawnSync('bash', [join(ROOT, 'scripts', 'services.sh'), 'stop'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Produces each corpus to its topic, record i to partition i mod P, in order, so
 * record i lands at offset ⌊i/P⌋ of a fresh topic; returns the alert ids the
 * worker must publish (the seed rule's hits), derived from those coordinates.
 */
async function produceCorpora(client: KafkaClient, corpora: readonly DemoCorpus[], topics: Record<string, string>, partitions: number, rules: readonly Rule[]): Promise<string[]> {
  const producer = client.producer();
  await producer.connect();
  const expected: string[] = [];
  try {
    for (const { shape, records } of corpora) {
      const topic = topics[shape] as string;
      const out: OutputRecord[] = records.map((r, i) => ({ topic, partition: i % partitions, key: null, value: r.value }));
      for (let from = 0; from < out.length; from += PRODUCE_CHUNK) await producer.send(out.slice(from, from + PRODUCE_CHUNK));
      records.forEach((r, i) => {
        if (!r.hit) return;
        for (const rule of rules) expected.push(alertId(rule.rule.rule_id, { topic, partition: i % partitions, offset: String(Math.floor(i / partitions)) }));
      });
    }
  } finally {
    await producer.disconnect();
  }
  return expected.sort();
}

async function runWorkerUntilCaughtUp(
  client: KafkaClient, admin: StreamAdmin, rules: readonly Rule[], metrics: Metrics, logger: Logger,
  names: { alerts: string; deadLetter: string; group: string }, inputTopics: readonly string[], o: DemoOptions,
): Promise<void> {
  const { config } = loadConfig({
    env: {},
    overrides: {
      groupId: names.group, topics: inputTopics.join(','), alertsTopic: names.alerts, deadLetterTopic: names.deadLetter,
      clientId: 'eql-stream-demo', metricsHost: '127.0.0.1', metricsPort: '0', createTopics: 'false',
    },
  });
  const worker = new Worker({ client, config, rules, metrics, logger, registry: null });
  const server = await startOpsServer(metrics.registry, worker, 0, '127.0.0.1');
  o.say(`worker running; its metrics at http://127.0.0.1:${server.port}/metrics while it runs`);
  const started = Date.now();
  try {
    await worker.start();
    const deadline = started + o.timeoutMs;
    while (!(await caughtUp(admin, names.group, inputTopics))) {
      if (Date.now() > deadline) throw new Error(`the worker did not catch up within ${o.timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    o.say(`worker caught up in ${((Date.now() - started) / 1000).toFixed(1)} s: every input offset committed`);
  } finally {
    await worker.stop();
    await server.close();
  }
}

async function caughtUp(admin: StreamAdmin, group: string, topics: readonly string[]): Promise<boolean> {
  for (const topic of topics) {
    const [end, committed] = await Promise.all([admin.endOffsets(topic), admin.committedOffsets(group, topic)]);
    for (const e of end) {
      const c = committed.find((x) => x.partition === e.partition);
      if (e.offset !== '0' && c?.offset !== e.offset) return false;
    }
  }
  return true;
}

/** Reads the alerts and dead-letter topics to their ends with a fresh group. */
async function readOutputs(client: KafkaClient, admin: StreamAdmin, alertsTopic: string, deadLetterTopic: string, runId: string) {
  const total = async (topic: string) => (await admin.endOffsets(topic)).reduce((n, p) => n + Number(p.offset), 0);
  const want = (await total(alertsTopic)) + (await total(deadLetterTopic));
  const records: { topic: string; record: InputRecord }[] = [];
  const consumer = client.consumer({ groupId: `eql-stream-demo-${runId}-reader`, maxWaitTimeMs: 200 });
  await consumer.connect();
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => { done = resolve; });
  if (want === 0) done();
  await consumer.run([alertsTopic, deadLetterTopic], async (batch, control) => {
    for (const record of batch.records) records.push({ topic: batch.topic, record });
    const last = batch.records[batch.records.length - 1];
    if (last) control.resolveOffset(last.offset);
    if (records.length >= want) done();
  }, { concurrency: 2 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out reading the alerts back (${records.length} of ${want} records)`)), 60_000);
  });
  try {
    await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.stop();
    await consumer.disconnect();
  }
  const alerts = records.filter((r) => r.topic === alertsTopic).map((r) => JSON.parse(r.record.value?.toString() ?? '{}') as AlertDocument);
  const deadLetters = records
    .filter((r) => r.topic === deadLetterTopic)
    .map((r) => ({ reason: headerText(r.record, DLQ_HEADERS.reason), topic: headerText(r.record, DLQ_HEADERS.topic) }));
  return { alerts, deadLetters };
}

function headerText(record: InputRecord, name: string): string {
  const v = record.headers?.[name];
  return v === undefined ? '' : Array.isArray(v) ? v.map(String).join(',') : v.toString();
}

function check(alerts: readonly AlertDocument[], expected: readonly string[], deadLetters: readonly unknown[], malformed: number): string[] {
  const problems: string[] = [];
  const got = alerts.map((a) => a['kibana.alert.uuid']).sort();
  const missing = expected.filter((id) => !got.includes(id));
  const unexpected = got.filter((id) => !expected.includes(id));
  const duplicated = got.filter((id, i) => got.indexOf(id) !== i);
  if (missing.length) problems.push(`${missing.length} expected alerts missing: ${missing.join(', ')}`);
  if (unexpected.length) problems.push(`${unexpected.length} unexpected alerts: ${unexpected.join(', ')}`);
  if (duplicated.length) problems.push(`${duplicated.length} duplicated alerts: ${duplicated.join(', ')}`);
  if (deadLetters.length !== malformed) problems.push(`${deadLetters.length} dead letters for ${malformed} malformed records`);
  return problems;
}

// ---- the report ----------------------------------------------------------------

const text = (doc: Record<string, unknown>, field: string) => fieldValues(doc, field).map(String).join(', ') || '-';

async function printReport(r: DemoResult, say: (line: string) => void): Promise<void> {
  say('');
  say(`alerts (${r.alerts.length}):`);
  const rows = r.alerts.map((a) => [
    text(a, 'kibana.alert.rule.name'),
    text(a, 'host.name'),
    text(a, 'process.name'),
    text(a, 'file.path'),
    (a['kibana.alert.ancestors'] as { index: string }[] | undefined)?.[0]?.index.replace(/-demo-.*$/, '') ?? '-',
    a['kibana.alert.uuid'].slice(0, 16),
  ]);
  for (const row of table(['rule', 'host', 'process', 'file path', 'topic', 'alert id (first 16 of 64 hex)'], rows)) say(`  ${row}`);
  say('');
  say(`dead-lettered (${r.deadLetters.length}): ${summariseCounts(r.deadLetters.map((d) => d.reason))}`);
  say('');
  say('worker metrics:');
  for (const line of await metricsSummary(r.metrics)) say(`  ${line}`);
  say('');
  say(`worker log: ${r.workerLog}`);
  if (r.ok) say(`OK: all ${r.expectedAlertIds.length} expected alerts (the crafted attacks the rule must catch, in each input shape), none for the ${r.produced.real} real events or the crafted near-misses`);
  else for (const p of r.problems) say(`FAILED: ${p}`);
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.min(90, Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length))));
  const fit = (s: string, w: number) => (s.length > w ? `…${s.slice(s.length - w + 1)}` : s.padEnd(w));
  return [header, ...rows].map((row) => row.map((cell, i) => fit(cell, widths[i] as number)).join('  ').trimEnd());
}

function summariseCounts(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(', ') || 'none';
}

async function metricsSummary(metrics: Metrics): Promise<string[]> {
  const json = await metrics.registry.getMetricsAsJSON();
  const values = (name: string) => (json.find((m) => m.name === `eql_stream_${name}`)?.values ?? []) as { value: number; labels: Record<string, string | number> }[];
  const sum = (name: string) => values(name).reduce((n, v) => n + v.value, 0);
  const by = (name: string, label: string) => {
    const m = new Map<string, number>();
    for (const v of values(name)) m.set(String(v.labels[label]), (m.get(String(v.labels[label])) ?? 0) + v.value);
    return [...m].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  };
  const consumed = sum('events_consumed_total');
  const rejected = sum('prefilter_rejected_total');
  return [
    `events consumed: ${consumed}`,
    `rejected by the raw-bytes prefilter, unparsed: ${rejected} (${consumed ? ((100 * rejected) / consumed).toFixed(1) : '0'}%)`,
    `parsed and normalised, by input shape: ${by('events_decoded_total', 'shape')}`,
    `rule matches: ${sum('rule_matches_total')}; alerts produced: ${sum('alerts_produced_total')}; suppressed by max_signals: ${sum('alerts_suppressed_total')}`,
    `dead-lettered: ${by('dead_lettered_total', 'reason')}`,
    `batches: ${values('batch_duration_seconds').find((v) => (v as { metricName?: string }).metricName === 'eql_stream_batch_duration_seconds_count')?.value ?? 0}`,
  ];
}
