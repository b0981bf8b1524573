import { describe, expect, it } from 'vitest';
import {
  alertId,
  buildAlert,
  DEFAULT_KIBANA_VERSION,
  withEventIdentity,
  withIngestedTimestamp,
  type EventSource,
} from '../../../src/alerts/alert.js';
import { deepFreeze, hitEvent, seedRule } from './helpers.js';

const RULE_ID = '6cd1779c-560f-4b68-a8f1-11009b27fe63';
const NAME = 'Microsoft Exchange Server UM Writing Suspicious Files';
const NOW = new Date('2024-05-06T07:08:09.123Z');
const SOURCE: EventSource = { topic: 'logs-endpoint.events.file-default', partition: 2, offset: '4711' };

describe('buildAlert on a real Elastic Defend file event', () => {
  const rule = seedRule();
  const event = deepFreeze(hitEvent());
  const alert = buildAlert(rule, event, SOURCE, NOW);

  it('keeps the source fields and sets detection time and event.kind', () => {
    expect(alert['@timestamp']).toBe(NOW.toISOString());
    expect(alert['event.kind']).toBe('signal');
    expect(alert['host']).toEqual(event['host']);
    expect(alert['process']).toEqual(event['process']);
    expect(alert['file']).toEqual(event['file']);
    expect(alert['user']).toEqual(event['user']);
    expect(alert['Effective_process']).toEqual(event['Effective_process']);
    expect(alert['message']).toBe('Endpoint file event');
  });

  it('re-states event.* as flat keys and copies them to kibana.alert.original_event.*', () => {
    const source = event['event'] as Record<string, unknown>;
    expect(alert['event']).toBeUndefined();
    for (const [key, value] of Object.entries(source)) {
      expect(alert[`kibana.alert.original_event.${key}`]).toEqual(value);
      if (key !== 'kind') expect(alert[`event.${key}`]).toEqual(value);
    }
    expect(alert['kibana.alert.original_event.kind']).toBe('event');
    expect(alert['event.category']).toEqual(['file']);
  });

  it('carries the rule under kibana.alert.rule.*', () => {
    const def = rule.rule;
    expect(alert).toMatchObject({
      'kibana.alert.rule.uuid': RULE_ID,
      'kibana.alert.rule.rule_id': RULE_ID,
      'kibana.alert.rule.name': NAME,
      'kibana.alert.rule.version': 3,
      'kibana.alert.rule.severity': 'medium',
      'kibana.alert.rule.risk_score': 47,
      'kibana.alert.rule.description': def.description,
      'kibana.alert.rule.tags': ['Elastic', 'Host', 'Windows', 'Threat Detection', 'Initial Access'],
      'kibana.alert.rule.threat': def.threat,
      'kibana.alert.rule.references': def.references,
      'kibana.alert.rule.from': 'now-9m',
      'kibana.alert.rule.to': 'now',
      'kibana.alert.rule.interval': '5m',
      'kibana.alert.rule.max_signals': 100,
      'kibana.alert.rule.timestamp_override': 'event.ingested',
      'kibana.alert.rule.type': 'eql',
      'kibana.alert.rule.category': 'Event Correlation Rule',
      'kibana.alert.rule.consumer': 'siem',
      'kibana.alert.rule.producer': 'siem',
      'kibana.alert.rule.rule_type_id': 'siem.eqlRule',
      'kibana.alert.rule.author': ['Elastic', 'Austin Songer'],
      'kibana.alert.rule.license': 'Elastic License v2',
      'kibana.alert.rule.false_positives': def.false_positives,
      'kibana.alert.rule.note': def.note,
      'kibana.alert.rule.enabled': true,
      'kibana.alert.rule.indices': ['winlogbeat-*', 'logs-endpoint.events.*', 'logs-windows.*'],
    });
    expect(alert['kibana.alert.rule.parameters']).toMatchObject({ query: def.query, index: def.index, language: 'eql' });
  });

  it('has the alert status, severity, risk score, space and schema version', () => {
    expect(alert).toMatchObject({
      'kibana.alert.severity': 'medium',
      'kibana.alert.risk_score': 47,
      'kibana.alert.status': 'active',
      'kibana.alert.workflow_status': 'open',
      'kibana.alert.depth': 1,
      'kibana.space_ids': ['default'],
      'kibana.version': DEFAULT_KIBANA_VERSION,
    });
    expect(buildAlert(rule, event, SOURCE, NOW, { spaceId: 'soc', kibanaVersion: '8.15.1' })).toMatchObject({
      'kibana.space_ids': ['soc'],
      'kibana.version': '8.15.1',
    });
  });

  it('records the original time and points its ancestor at the Kafka record', () => {
    expect(alert['kibana.alert.original_time']).toBe('2022-04-04T18:37:01.577Z');
    expect(alert['kibana.alert.ancestors']).toEqual([
      { id: 'logs-endpoint.events.file-default/2/4711', type: 'event', index: 'logs-endpoint.events.file-default', depth: 0 },
    ]);
    expect(alert['kibana.alert.uuid']).toBe(alertId(RULE_ID, SOURCE));
    expect(alert['kibana.alert.uuid']).toMatch(/^[0-9a-f]{64}$/);
  });

  it("words the reason like Kibana's", () => {
    expect(alert['kibana.alert.reason']).toBe(
      `file event with process UMWorkerProcess.exe, file shell.aspx, by SYSTEM on response-win-1 created medium alert ${NAME}.`,
    );
  });

  it('shares no object with the input', () => {
    const again = buildAlert(rule, event, SOURCE, NOW);
    expect(again['host']).not.toBe(event['host']);
    (again['host'] as { ip: string[] }).ip.push('10.0.0.1');
    (again['event.category'] as string[]).push('x');
    expect((event['host'] as { ip: string[] }).ip).toHaveLength(4);
    expect(again['kibana.alert.original_event.category']).toEqual(['file']);
    expect(again['kibana.alert.rule.tags']).not.toBe(rule.rule.tags);
  });
});

describe('reason wording', () => {
  const rule = seedRule();
  const reason = (event: Record<string, unknown>) => buildAlert(rule, event, SOURCE, NOW)['kibana.alert.reason'];

  it("matches rule.md's example for a host without a user", () => {
    const event = {
      event: { category: ['file'], type: ['creation'] },
      process: { name: 'UMWorkerProcess.exe' },
      file: { name: 'x.aspx', path: 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx' },
      host: { name: 'EXCH01' },
    };
    expect(reason(event)).toBe(
      'file event with process UMWorkerProcess.exe, file x.aspx, on EXCH01 created medium alert Microsoft Exchange Server UM Writing Suspicious Files.',
    );
  });

  it('reads dotted keys like nested ones', () => {
    const event = {
      'event.category': 'file',
      'process.name': 'umservice.exe',
      file: { 'name': 'a.php' },
      'host.name': 'EXCH02',
      'user.name': 'svc',
    };
    expect(reason(event)).toBe(`file event with process umservice.exe, file a.php, by svc on EXCH02 created medium alert ${NAME}.`);
  });

  it('joins several values, drops "-", and says "with" only for fields of interest', () => {
    expect(reason({ event: { category: ['network', 'intrusion_detection'] }, user: { name: '-' }, host: { name: 'h' } })).toBe(
      `network, intrusion_detection event on h created medium alert ${NAME}.`,
    );
    expect(reason({})).toBe(`event created medium alert ${NAME}.`);
  });

  it('shows parent process, source and destination with ports', () => {
    const event = {
      event: { category: ['network'] },
      process: { name: 'w3wp.exe', parent: { name: 'svchost.exe' } },
      source: { address: '10.0.0.5', port: 50123 },
      destination: { address: '203.0.113.9', port: 443 },
    };
    expect(reason(event)).toBe(
      `network event with process w3wp.exe, parent process svchost.exe, source 10.0.0.5:50123, destination 203.0.113.9:443, created medium alert ${NAME}.`,
    );
  });
});

describe('alert ids', () => {
  it('are deterministic and differ by offset, partition, topic and rule', () => {
    const id = alertId(RULE_ID, SOURCE);
    expect(alertId(RULE_ID, { ...SOURCE })).toBe(id);
    const others = [
      alertId(RULE_ID, { ...SOURCE, offset: '4712' }),
      alertId(RULE_ID, { ...SOURCE, partition: 3 }),
      alertId(RULE_ID, { ...SOURCE, topic: 'winlogbeat-8' }),
      alertId('00000000-0000-0000-0000-000000000000', SOURCE),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it("use the event's own _id where present, whatever record carried it", () => {
    const event = { ...hitEvent(), _id: 'MYfZFpbNKturKgFp', _index: '.ds-logs-endpoint.events.file-default-2022.04.04-000001' };
    const a = buildAlert(seedRule(), event, SOURCE, NOW);
    const b = buildAlert(seedRule(), event, { topic: 'replay', partition: 0, offset: '1' }, NOW);
    expect(a['kibana.alert.uuid']).toBe(b['kibana.alert.uuid']);
    expect(a['kibana.alert.uuid']).toBe(alertId(RULE_ID, withEventIdentity(SOURCE, event)));
    expect(a['kibana.alert.ancestors']).toEqual([
      { id: 'MYfZFpbNKturKgFp', type: 'event', index: '.ds-logs-endpoint.events.file-default-2022.04.04-000001', depth: 0 },
    ]);
    expect(a['_id']).toBeUndefined();
    expect(a['_index']).toBeUndefined();
  });

  it('ignore event.id, which is not unique across hosts', () => {
    const event = hitEvent();
    const other = { ...event, event: { ...(event['event'] as object), id: 'something-else' } };
    expect(buildAlert(seedRule(), other, SOURCE, NOW)['kibana.alert.uuid']).toBe(buildAlert(seedRule(), event, SOURCE, NOW)['kibana.alert.uuid']);
  });
});

describe('event.ingested for timestamp_override', () => {
  const withoutIngested = () => {
    const event = hitEvent();
    delete (event['event'] as Record<string, unknown>)['ingested'];
    return deepFreeze(event);
  };

  it('is set to processing time when absent, in the alert and its original event', () => {
    const alert = buildAlert(seedRule(), withoutIngested(), SOURCE, NOW);
    expect(alert['event.ingested']).toBe(NOW.toISOString());
    expect(alert['kibana.alert.original_event.ingested']).toBe(NOW.toISOString());
  });

  it('is kept when present, and left alone for rules without the override', () => {
    expect(buildAlert(seedRule(), deepFreeze(hitEvent()), SOURCE, NOW)['event.ingested']).toBe('2022-04-04T18:37:29Z');
    const noOverride = seedRule({ timestamp_override: undefined });
    expect(buildAlert(noOverride, withoutIngested(), SOURCE, NOW)['event.ingested']).toBeUndefined();
  });

  it('follows the layout of the event and never mutates it', () => {
    const nested = withoutIngested();
    const out = withIngestedTimestamp(nested, NOW);
    expect((out['event'] as Record<string, unknown>)['ingested']).toBe(NOW.toISOString());
    expect((nested['event'] as Record<string, unknown>)['ingested']).toBeUndefined();
    expect(withIngestedTimestamp({ 'event.category': 'file' }, NOW)).toEqual({ 'event.category': 'file', 'event.ingested': NOW.toISOString() });
    const has = { 'event.ingested': 'x' };
    expect(withIngestedTimestamp(has, NOW)).toBe(has);
  });
});
