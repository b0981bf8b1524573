import { describe, expect, it } from 'vitest';
import { AlertCap, summaryId, windowStart } from '../../../src/alerts/cap.js';
import { seedRule } from './helpers.js';

const FIVE_MIN = 300_000;
// A window boundary: 2024-05-06T07:05:00Z is a multiple of 5 minutes.
const T0 = Date.parse('2024-05-06T07:05:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

function admitMany(cap: AlertCap, rule: ReturnType<typeof seedRule>, n: number, when: Date): boolean[] {
  return Array.from({ length: n }, () => cap.admit(rule, when));
}

describe('AlertCap', () => {
  const rule = seedRule({ max_signals: 3 });

  it('uses the seed rule schedule: 5m windows aligned to the epoch, 100 alerts each', () => {
    const seed = seedRule();
    expect(seed.intervalMs).toBe(FIVE_MIN);
    expect(windowStart(T0 + FIVE_MIN - 1, FIVE_MIN)).toBe(T0);
    expect(windowStart(T0 + FIVE_MIN, FIVE_MIN)).toBe(T0 + FIVE_MIN);
    const cap = new AlertCap();
    const results = admitMany(cap, seed, 101, at(1_000));
    expect(results.filter(Boolean)).toHaveLength(100);
    expect(results[100]).toBe(false);
  });

  it('admits max_signals per window and counts the rest', () => {
    const cap = new AlertCap();
    expect(admitMany(cap, rule, 5, at(0))).toEqual([true, true, true, false, false]);
    expect(cap.admit(rule, at(FIVE_MIN - 1))).toBe(false);
    expect(cap.suppressed).toBe(3);
    // The next window starts afresh.
    expect(admitMany(cap, rule, 4, at(FIVE_MIN))).toEqual([true, true, true, false]);
    expect(cap.suppressed).toBe(4);
  });

  it('emits one summary per window, when the window has ended', () => {
    const cap = new AlertCap();
    admitMany(cap, rule, 7, at(10_000));
    expect(cap.due(at(FIVE_MIN - 1))).toEqual([]);
    const [summary, ...more] = cap.due(at(FIVE_MIN));
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      '@timestamp': at(FIVE_MIN).toISOString(),
      'event.kind': 'signal',
      'kibana.alert.uuid': summaryId(rule.rule.rule_id, T0),
      'kibana.alert.rule.rule_id': rule.rule.rule_id,
      'kibana.alert.rule.name': rule.rule.name,
      'kibana.alert.severity': 'medium',
      'kibana.alert.risk_score': 47,
      'kibana.alert.status': 'active',
      'kibana.alert.workflow_status': 'open',
      'kibana.alert.suppression.docs_count': 4,
      'kibana.alert.suppression.start': at(10_000).toISOString(),
      'kibana.alert.suppression.end': at(10_000).toISOString(),
      'kibana.alert.suppression.terms': [{ field: 'kibana.alert.rule.rule_id', value: [rule.rule.rule_id] }],
      'kibana.alert.original_time': at(0).toISOString(),
      'kibana.alert.reason':
        `4 alerts of rule ${rule.rule.name} suppressed between 2024-05-06T07:05:00.000Z and 2024-05-06T07:10:00.000Z: ` +
        'max_signals (3) per interval (5m) reached.',
    });
    expect(cap.due(at(2 * FIVE_MIN))).toEqual([]);
  });

  it('closes a window on roll-over and makes no summary for windows without suppression', () => {
    const cap = new AlertCap();
    admitMany(cap, rule, 5, at(0));
    admitMany(cap, rule, 2, at(FIVE_MIN + 5));
    const summaries = cap.due(at(FIVE_MIN + 6));
    expect(summaries.map((s) => s['kibana.alert.suppression.docs_count'])).toEqual([2]);
    expect(cap.due(at(3 * FIVE_MIN))).toEqual([]);
  });

  it('keeps rules apart and gives deterministic summary ids per rule and window', () => {
    const other = seedRule({ max_signals: 1, rule_id: 'aaaaaaaa-0000-0000-0000-000000000000' });
    const cap = new AlertCap();
    admitMany(cap, rule, 4, at(0));
    admitMany(cap, other, 3, at(0));
    const ids = cap.flush(at(1)).map((s) => [s['kibana.alert.uuid'], s['kibana.alert.suppression.docs_count']]);
    expect(ids).toEqual([
      [summaryId(rule.rule.rule_id, T0), 1],
      [summaryId(other.rule.rule_id, T0), 2],
    ]);
    expect(summaryId(rule.rule.rule_id, T0)).not.toBe(summaryId(rule.rule.rule_id, T0 + FIVE_MIN));
  });

  it('gives a restarted worker the same summary id for the same window', () => {
    const before = new AlertCap();
    admitMany(before, rule, 5, at(1_000));
    const restarted = new AlertCap();
    admitMany(restarted, rule, 6, at(200_000));
    const [a] = before.flush(at(2_000));
    const [b] = restarted.flush(at(201_000));
    expect(a?.['kibana.alert.uuid']).toBe(b?.['kibana.alert.uuid']);
    expect([a?.['kibana.alert.suppression.docs_count'], b?.['kibana.alert.suppression.docs_count']]).toEqual([2, 3]);
  });

  it('flushes the open window at shutdown', () => {
    const cap = new AlertCap();
    admitMany(cap, rule, 4, at(0));
    expect(cap.flush(at(1)).map((s) => s['kibana.alert.suppression.docs_count'])).toEqual([1]);
    expect(cap.flush(at(2))).toEqual([]);
  });

  it('stays in the current window when the clock steps back', () => {
    const cap = new AlertCap();
    admitMany(cap, rule, 3, at(FIVE_MIN));
    expect(cap.admit(rule, at(FIVE_MIN - 10))).toBe(false);
  });

  it('can be turned off', () => {
    const cap = new AlertCap({ enabled: false });
    expect(admitMany(cap, rule, 50, at(0)).every(Boolean)).toBe(true);
    expect(cap.suppressed).toBe(0);
    expect(cap.flush(at(FIVE_MIN * 10))).toEqual([]);
  });
});
