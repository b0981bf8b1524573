// Two workers in one group share the partitions; stopping one hands its
// partitions to the other without loss.
import { afterEach, describe, expect, it } from 'vitest';
import { createTopic, uniqueName } from '../setup/services.js';
import {
  committedTotal, craftedEvents, expectedAlertIds, metricValue, otrfKeyEvents, produce, readUntil, ready, startWorker, waitFor, type WorkerProcess,
} from './helpers.js';

const running: WorkerProcess[] = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});

describe('two workers in one group', () => {
  it('share the partitions, and a stopped worker hands its partitions over without loss', async () => {
    const topic = await createTopic(uniqueName('logs-windows.group'), 4);
    const alerts = uniqueName('alerts');
    const group = uniqueName('group');
    const args = ['--topics', topic, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq')];
    const a = startWorker(args);
    const b = startWorker(args);
    running.push(a, b);
    await ready(a);
    await ready(b);
    // Each is ready only with partitions assigned; together they hold all four.
    await waitFor('the partitions to be split', async () => {
      const [ma, mb] = await Promise.all([a.metrics(), b.metrics()]);
      const na = metricValue(ma, 'eql_stream_assigned_partitions');
      const nb = metricValue(mb, 'eql_stream_assigned_partitions');
      return na > 0 && nb > 0 && na + nb === 4;
    });

    const corpus1 = [...otrfKeyEvents(), ...craftedEvents()];
    const placed1 = await produce(topic, corpus1.map((c) => c.value), 4);
    await waitFor('the first half committed', async () => (await committedTotal(group, topic)) === corpus1.length);
    const byA = metricValue(await a.metrics(), 'eql_stream_events_consumed_total', { topic });
    const byB = metricValue(await b.metrics(), 'eql_stream_events_consumed_total', { topic });
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(byA + byB).toBe(corpus1.length);

    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    await waitFor('b to hold every partition', async () => metricValue(await b.metrics(), 'eql_stream_assigned_partitions') === 4);

    const corpus2 = [...craftedEvents(), ...otrfKeyEvents()];
    const placed2 = await produce(topic, corpus2.map((c) => c.value), 4);
    const total = corpus1.length + corpus2.length;
    await waitFor('everything committed', async () => (await committedTotal(group, topic)) === total);
    const expected = [...expectedAlertIds(topic, corpus1, placed1), ...expectedAlertIds(topic, corpus2, placed2)].sort();
    const records = await readUntil(alerts, (r) => r.length >= expected.length, { settleMs: 1500 });
    expect(records.map((r) => r.key).sort()).toEqual(expected);
  }, 240_000);
});
