import { describe, expect, it } from 'vitest';
import { deriveTopics, rulesForTopic, shapeForTopic } from '../../../src/pipeline/topics.js';

// The seed rule's index patterns (rule.md).
const seed = { rule: { index: ['winlogbeat-*', 'logs-endpoint.events.*', 'logs-windows.*'] } };
const other = { rule: { index: ['logs-system.security-*'] } };

describe('topic selection from index patterns', () => {
  it('covers the data-stream topics of the seed rule and nothing else', () => {
    const existing = [
      'logs-windows.sysmon_operational-default', 'logs-endpoint.events.file-default', 'winlogbeat-8.12.0',
      'logs-system.security-default', 'logs-windowsx', 'audit', '__consumer_offsets', 'eql-stream-alerts',
    ];
    expect(deriveTopics([seed], existing, ['eql-stream-alerts'])).toEqual([
      'logs-endpoint.events.file-default', 'logs-windows.sysmon_operational-default', 'winlogbeat-8.12.0',
    ]);
    expect(deriveTopics([seed, other], existing, [])).toContain('logs-system.security-default');
  });

  it('applies a rule only to topics its patterns cover', () => {
    expect(rulesForTopic([seed, other], 'logs-windows.sysmon_operational-default')).toEqual([0]);
    expect(rulesForTopic([seed, other], 'logs-system.security-default')).toEqual([1]);
    expect(rulesForTopic([seed, other], 'audit')).toEqual([]);
  });

  it('never reads internal or output topics, even if a pattern covers them', () => {
    expect(deriveTopics([{ rule: { index: ['*'] } }], ['__transaction_state', 'a', 'alerts'], ['alerts'])).toEqual(['a']);
  });

  it('picks the first matching shape entry, else the default', () => {
    const entries = [{ pattern: 'winlogbeat-*', shape: 'winlogbeat' as const }, { pattern: '*', shape: 'ecs' as const }];
    expect(shapeForTopic('winlogbeat-8', entries, 'auto')).toBe('winlogbeat');
    expect(shapeForTopic('logs-windows.x', entries, 'auto')).toBe('ecs');
    expect(shapeForTopic('x', [], 'flat')).toBe('flat');
  });
});
