import { describe, expect, it } from 'vitest';
import { deriveTopics, rulesForTopic, uncoveredTopics, valueForTopic } from '../../../src/pipeline/topics.js';

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

  it('picks the first matching entry, else the default', () => {
    const entries = [{ pattern: 'winlogbeat-*', value: 'winlogbeat' as const }, { pattern: '*', value: 'ecs' as const }];
    expect(valueForTopic('winlogbeat-8', entries, 'auto')).toBe('winlogbeat');
    expect(valueForTopic('logs-windows.x', entries, 'auto')).toBe('ecs');
    expect(valueForTopic('x', [], 'flat')).toBe('flat');
  });

  it('sees a topic as the index EQL_STREAM_TOPIC_INDEX maps it to', () => {
    const topicIndex = [{ pattern: 'winlogbeat', value: 'winlogbeat-kafka' }, { pattern: 'sysmon-*', value: 'logs-windows.sysmon_operational-default' }];
    expect(rulesForTopic([seed], 'winlogbeat')).toEqual([]);
    expect(rulesForTopic([seed], 'winlogbeat', topicIndex)).toEqual([0]);
    expect(rulesForTopic([seed], 'sysmon-eu', topicIndex)).toEqual([0]);
    expect(deriveTopics([seed], ['winlogbeat', 'sysmon-eu', 'audit'], [], topicIndex)).toEqual(['sysmon-eu', 'winlogbeat']);
    expect(uncoveredTopics([seed], ['winlogbeat', 'audit', 'sysmon-eu'], topicIndex)).toEqual(['audit']);
    expect(uncoveredTopics([seed], ['winlogbeat'])).toEqual(['winlogbeat']);
  });
});
