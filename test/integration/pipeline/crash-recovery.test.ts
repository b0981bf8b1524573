// SIGKILL mid-stream and restart: nothing is lost (at-least-once: every expected
// alert id present; exactly-once: a read_committed reader sees each alert once).
import { afterEach, describe, expect, it } from 'vitest';
import { createTopic, uniqueName } from '../setup/services.js';
import {
  committedTotal, craftedEvents, expectedAlertIds, interleave, otrfEvents, produce, readUntil, ready, startWorker, waitFor, type WorkerProcess,
} from './helpers.js';

const running: WorkerProcess[] = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});

// Small steps and fetches, so the worker is surely killed between two commits.
const SLOW = { EQL_STREAM_COMMIT_EVERY: '25', EQL_STREAM_FETCH_MAX_BYTES_PER_PARTITION: '65536', EQL_STREAM_FETCH_MAX_BYTES: '196608' };

async function killMidStream(exactlyOnce: boolean) {
  const topic = await createTopic(uniqueName('logs-windows.crash'), 3);
  const alerts = uniqueName('alerts');
  const group = uniqueName('group');
  const hits = craftedEvents().filter((c) => c.hit);
  // The real 10,487-event capture with the crafted hits spread through it, three times over.
  const corpus = interleave(otrfEvents(), [...hits, ...hits, ...hits]);
  const placed = await produce(topic, corpus.map((c) => c.value), 3);
  const expected = expectedAlertIds(topic, corpus, placed);

  const args = ['--topics', topic, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq')];
  if (exactlyOnce) args.push('--exactly-once', '--transactional-id', uniqueName('txn'));
  const first = startWorker(args, SLOW);
  running.push(first);
  await waitFor('some offsets committed', async () => (await committedTotal(group, topic)) > 0, 90_000);
  first.child.kill('SIGKILL');
  await first.exited;
  const committedAtKill = await committedTotal(group, topic);
  expect(committedAtKill, 'the worker must be killed before it finished').toBeLessThan(corpus.length);

  const second = startWorker(args, SLOW);
  running.push(second);
  await ready(second);
  await waitFor('the restarted worker to catch up', async () => (await committedTotal(group, topic)) === corpus.length, 170_000);
  const records = await readUntil(alerts, (r) => new Set(r.map((x) => x.key)).size >= expected.length, { readCommitted: exactlyOnce, settleMs: 2000, timeoutMs: 60_000 });
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  return { expected, keys: records.map((r) => r.key ?? '') };
}

describe('crash recovery', () => {
  it('at-least-once: after SIGKILL and restart every expected alert id is present, and no other', async () => {
    const { expected, keys } = await killMidStream(false);
    expect([...new Set(keys)].sort()).toEqual(expected);
  }, 300_000);

  it('exactly-once: a read_committed reader sees each alert exactly once after SIGKILL and restart', async () => {
    const { expected, keys } = await killMidStream(true);
    expect([...keys].sort()).toEqual(expected);
  }, 300_000);
});
