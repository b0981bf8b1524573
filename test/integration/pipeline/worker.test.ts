// The worker end to end against the real broker (at-least-once mode).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../../../src/pipeline/dead-letter.js';
import { ALERT_HEADERS } from '../../../src/pipeline/worker.js';
import { exportedNames, monitoringQueries } from '../../deploy/monitoring.js';
import { metricNames } from '../../deploy/promql.js';
import { createTopic, registryUrl, uniqueName } from '../setup/services.js';
import {
  SEED_RULE_ID, committedTotal, craftedEvents, expectedAlertIds, metricValue, otrfKeyEvents, produce, readUntil, ready, startWorker, waitFor, type CorpusEvent, type WorkerProcess,
} from './helpers.js';

const running: WorkerProcess[] = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});
const start = (...a: Parameters<typeof startWorker>) => {
  const w = startWorker(...a);
  running.push(w);
  return w;
};

const endpointFile: CorpusEvent = {
  value: readFileSync(new URL('../../../../shared/data/public/elastic-endpoint-package/package/endpoint/data_stream/file/sample_event.json', import.meta.url)),
  hit: false,
  label: 'endpoint-file-sample',
};

describe('worker, at-least-once', () => {
  it('writes exactly one alert per matching event, with the expected id, and none for others', async () => {
    const topic = await createTopic(uniqueName('logs-windows.sysmon_operational'), 3);
    const alerts = uniqueName('alerts');
    const group = uniqueName('group');
    const corpus = [...otrfKeyEvents(), ...craftedEvents(), endpointFile];
    const placed = await produce(topic, corpus.map((c) => c.value), 3);
    const expected = expectedAlertIds(topic, corpus, placed);
    expect(expected.length).toBe(corpus.filter((c) => c.hit).length);

    const w = start(['--topics', topic, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq')]);
    await ready(w);
    const records = await readUntil(alerts, (r) => r.length >= expected.length, { settleMs: 2000 });
    await waitFor('all offsets committed', async () => (await committedTotal(group, topic)) === corpus.length);

    expect(records.map((r) => r.key).sort()).toEqual(expected);
    for (const r of records) {
      const doc = JSON.parse(r.value?.toString() ?? '{}') as Record<string, unknown>;
      expect(doc['kibana.alert.uuid']).toBe(r.key);
      expect(doc['kibana.alert.rule.rule_id']).toBe(SEED_RULE_ID);
      expect(r.headers[ALERT_HEADERS.ruleId]).toBe(SEED_RULE_ID);
      expect(r.headers[ALERT_HEADERS.severity]).toBe('medium');
    }
    const metrics = await w.metrics();
    expect(metricValue(metrics, 'eql_stream_alerts_produced_total')).toBe(expected.length);
    expect(metricValue(metrics, 'eql_stream_events_consumed_total', { topic })).toBe(corpus.length);
    expect(metricValue(metrics, 'eql_stream_dead_lettered_total')).toBe(0);
    expect(metricValue(metrics, 'eql_stream_rule_info', { rule_id: SEED_RULE_ID })).toBe(1);
    expect(metricValue(metrics, 'eql_stream_consumer_lag_records', { topic })).toBe(0);
    // The dashboard and the alert rules query only what this running worker exports.
    const exported = exportedNames(metrics);
    for (const { where, expr } of monitoringQueries()) for (const name of metricNames(expr)) expect(exported, `${name} (${where})`).toContain(name);

    // Graceful shutdown: exit 0, and no log line carries an event payload.
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.logs.some((l) => l.includes('aspnet_client'))).toBe(false);
    expect(w.logs.filter((l) => l.includes('"message":"alert"'))).toHaveLength(expected.length);
  });

  it('dead-letters malformed records with their bytes and reasons, and keeps consuming', async () => {
    const topic = await createTopic(uniqueName('logs-windows.bad'), 1);
    const alerts = uniqueName('alerts');
    const dlq = uniqueName('dlq');
    const group = uniqueName('group');
    const good = otrfKeyEvents()[0]!.value;
    const hit = craftedEvents().find((c) => c.hit)!;
    const unknownSchema = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), Buffer.from('payload')]);
    const oversized = Buffer.from(JSON.stringify({ message: 'x'.repeat(5000), file: { path: 'C:\\inetpub\\wwwroot\\aspnet_client\\a.aspx' } }));
    const bad: [Buffer, string][] = [
      [Buffer.from('this is not json'), 'invalid_json'],
      [good.subarray(0, good.length - 25), 'invalid_json'],
      [Buffer.from('[1,2,3]'), 'not_an_object'],
      [Buffer.from('"UMWorkerProcess.exe"'), 'not_an_object'],
      [Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), 'invalid_utf8'],
      [unknownSchema, 'unknown_schema'],
      [oversized, 'oversized'],
    ];
    // Wrong types inside an object are not an error: the event simply does not match.
    const wrongTypes = Buffer.from(JSON.stringify({ event: { category: 5, type: { a: 1 } }, process: { name: ['UMWorkerProcess.exe', 7] }, file: { path: null, extension: 3 } }));
    const values = [...bad.map(([b]) => b), wrongTypes, hit.value];
    const placed = await produce(topic, values, 1);

    const w = start(['--topics', topic, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', dlq, '--registry', registryUrl()], { EQL_STREAM_MAX_MESSAGE_BYTES: '4096' });
    await ready(w);
    const dead = await readUntil(dlq, (r) => r.length >= bad.length, { settleMs: 1000 });
    const alertRecords = await readUntil(alerts, (r) => r.length >= 1);
    await waitFor('all offsets committed', async () => (await committedTotal(group, topic)) === values.length);

    expect(dead).toHaveLength(bad.length);
    bad.forEach(([bytes, reason], i) => {
      const d = dead.find((r) => r.headers[DLQ_HEADERS.offset] === placed[i]!.offset);
      expect(d, `dead letter for record ${i} (${reason})`).toBeDefined();
      expect(d!.value?.equals(bytes)).toBe(true);
      expect(d!.headers[DLQ_HEADERS.reason]).toBe(reason);
      expect(d!.headers[DLQ_HEADERS.topic]).toBe(topic);
      expect(d!.headers[DLQ_HEADERS.partition]).toBe('0');
      expect(d!.headers[DLQ_HEADERS.error]?.length).toBeGreaterThan(0);
    });
    expect(alertRecords.map((r) => r.key)).toEqual(expectedAlertIds(topic, [...bad.map(() => ({ ...hit, hit: false })), { ...hit, hit: false }, hit], placed));

    const metrics = await w.metrics();
    expect(metricValue(metrics, 'eql_stream_dead_lettered_total', { topic })).toBe(bad.length);
    expect(metricValue(metrics, 'eql_stream_decode_errors_total', { topic, reason: 'invalid_json' })).toBe(2);
    expect(metricValue(metrics, 'eql_stream_dead_lettered_total', { topic, reason: 'unknown_schema' })).toBe(1);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
  it('with EQL_STREAM_FROM_BEGINNING=false, a new group skips what was there before it joined', async () => {
    const topic = await createTopic(uniqueName('logs-windows.late'), 1);
    const alerts = uniqueName('alerts');
    const group = uniqueName('group');
    const hit = craftedEvents().find((c) => c.hit)!;
    const before = await produce(topic, [hit.value], 1);
    const w = start(['--topics', topic, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq')], { EQL_STREAM_FROM_BEGINNING: 'false' });
    await ready(w);
    // Wait until the group has a position (kafkajs resolves "latest" when the partition is assigned).
    await waitFor('the worker to settle at the end of the topic', async () => metricValue(await w.metrics(), 'eql_stream_assigned_partitions') === 1);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await produce(topic, [hit.value], 1);
    const records = await readUntil(alerts, (r) => r.length >= 1, { settleMs: 2000 });
    expect(records.map((r) => r.key)).toEqual(expectedAlertIds(topic, [hit], after));
    expect(records.map((r) => r.key)).not.toContain(expectedAlertIds(topic, [hit], before)[0]);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
  it('never stalls a partition on records it cannot deliver whole: a deep event is dead-lettered, a huge one alerted in short, a huge dead letter cut', async () => {
    const topic = await createTopic(uniqueName('logs-windows.hostile'), 1);
    const alerts = uniqueName('alerts');
    const dlq = uniqueName('dlq');
    const group = uniqueName('group');
    const hit = craftedEvents().find((c) => c.hit)!;
    const hitDoc = JSON.parse(hit.value.toString()) as Record<string, unknown>;
    const deep = Buffer.from(`${hit.value.toString().slice(0, -1)},"deep":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    // Just under the broker's record limit: its alert (the event plus the alert fields) would not fit.
    const huge = Buffer.from(JSON.stringify({ ...hitDoc, message: 'm'.repeat(1_040_000) }));
    const notJson = Buffer.from(`not json ${'x'.repeat(20_000)}`);
    const values = [deep, huge, notJson, hit.value];
    const placed = await produce(topic, values, 1, { chunk: 1 }); // the broker's limit holds per batch

    const w = start(['--topics', topic, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', dlq], { EQL_STREAM_MAX_MESSAGE_BYTES: String(2 * 1024 * 1024) });
    await ready(w);
    const alertRecords = await readUntil(alerts, (r) => r.length >= 2, { settleMs: 1000 });
    const dead = await readUntil(dlq, (r) => r.length >= 2, { settleMs: 500 });
    await waitFor('all offsets committed', async () => (await committedTotal(group, topic)) === values.length);

    expect(alertRecords.map((r) => r.key).sort()).toEqual(expectedAlertIds(topic, [{ ...hit, hit: false }, hit, { ...hit, hit: false }, hit], placed));
    const short = alertRecords.map((r) => JSON.parse(r.value!.toString()) as Record<string, unknown>).find((a) => (a['kibana.alert.workflow_tags'] as string[]).length > 0)!;
    expect(short['kibana.alert.workflow_tags']).toEqual(['eql-stream:event-fields-reduced']);
    expect(short['kibana.alert.rule.rule_id']).toBe(SEED_RULE_ID);
    expect(dead.map((d) => [d.headers[DLQ_HEADERS.offset], d.headers[DLQ_HEADERS.reason]]).sort()).toEqual([[placed[0]!.offset, 'too_deep'], [placed[2]!.offset, 'invalid_json']]);
    expect(dead.find((d) => d.headers[DLQ_HEADERS.reason] === 'invalid_json')!.value!.equals(notJson)).toBe(true);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);

    // A dead letter larger than the output limit is cut, with its full length in a header.
    const topic2 = await createTopic(uniqueName('logs-windows.hostile'), 1);
    const dlq2 = uniqueName('dlq');
    await produce(topic2, [notJson], 1);
    const w2 = start(['--topics', topic2, '--group', uniqueName('group'), '--alerts-topic', alerts, '--dead-letter-topic', dlq2], { EQL_STREAM_MAX_OUTPUT_BYTES: '8192' });
    await ready(w2);
    const [cut] = await readUntil(dlq2, (r) => r.length >= 1);
    expect(cut!.headers[DLQ_HEADERS.truncated]).toBe(String(notJson.length));
    expect(cut!.value!.length).toBeLessThan(8192);
    expect(notJson.subarray(0, cut!.value!.length).equals(cut!.value!)).toBe(true);
    w2.child.kill('SIGTERM');
    expect(await w2.exited).toBe(0);

    // Many dead letters in one step, together larger than the broker takes in one batch, go out in several.
    const topic3 = await createTopic(uniqueName('logs-windows.hostile'), 1);
    const dlq3 = uniqueName('dlq');
    const burst = Array.from({ length: 40 }, (_, i) => Buffer.from(`not json ${i} ${'y'.repeat(40_000)}`));
    await produce(topic3, burst, 1, { chunk: 10 });
    // One fetch, so one step, holds all of them.
    const w3 = start(['--topics', topic3, '--group', uniqueName('group'), '--alerts-topic', alerts, '--dead-letter-topic', dlq3], { EQL_STREAM_FETCH_MAX_BYTES_PER_PARTITION: String(8 * 1024 * 1024), EQL_STREAM_FETCH_MIN_BYTES: String(1_500_000) });
    await ready(w3);
    const all = await readUntil(dlq3, (r) => r.length >= burst.length, { settleMs: 500 });
    expect(all.map((d) => d.value!.toString().split(' ')[2]).map(Number).sort((a, b) => a - b)).toEqual(burst.map((_, i) => i));
    w3.child.kill('SIGTERM');
    expect(await w3.exited).toBe(0);
  });
  it('refuses an input topic no rule covers, and waits for a configured topic that does not exist yet', async () => {
    const uncovered = start(['--topics', uniqueName('audit'), '--group', uniqueName('group')]);
    expect(await uncovered.exited).toBe(2);
    expect(uncovered.logs.join('\n')).toContain('no rule covers input topic audit-');

    const topic = uniqueName('logs-windows.later');
    const alerts = uniqueName('alerts');
    const w = start(['--topics', topic, '--group', uniqueName('group'), '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq')]);
    await waitFor('the worker to report the missing topic', () => w.logs.some((l) => l.includes(`input topics do not exist: ${topic}`)));
    await createTopic(topic, 1);
    const hit = craftedEvents().find((c) => c.hit)!;
    const placed = await produce(topic, [hit.value], 1);
    const records = await readUntil(alerts, (r) => r.length >= 1, { timeoutMs: 90_000 });
    expect(records.map((r) => r.key)).toEqual(expectedAlertIds(topic, [hit], placed));
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});
