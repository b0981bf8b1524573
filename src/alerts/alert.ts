// One alert document per hit, shaped like the alerts Kibana's security detection
// engine writes (8.x alerts-as-data): the source event's fields, `event.*` as flat
// dotted keys, and the `kibana.alert.*` fields as dotted keys at the top level.
import { createHash } from 'node:crypto';
import type { Rule, Severity } from '../rules/types.js';
import { eventTime, fieldValues, flattenPrefix, isPlainObject } from './fields.js';
import { buildReason } from './reason.js';

/** Where the matching event came from. `id`/`index`: the event's own identity, when it has one. */
export interface EventSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The event's own document id (e.g. `_id` of a re-published Elasticsearch document). */
  readonly id?: string;
  /** The index that id belongs to (e.g. `_index`); defaults to the topic. */
  readonly index?: string;
}

export interface AlertOptions {
  /** Kibana space the alert belongs to. Default "default". */
  readonly spaceId?: string;
  /** Value of `kibana.version`: the alerts-as-data schema the document follows. */
  readonly kibanaVersion?: string;
}

/** The Kibana version whose alert schema these documents follow (see docs/alerts.md). */
export const DEFAULT_KIBANA_VERSION = '8.12.0';

export interface Ancestor {
  readonly id: string;
  readonly type: 'event';
  readonly index: string;
  readonly depth: 0;
}

export type AlertDocument = Record<string, unknown> & {
  readonly '@timestamp': string;
  readonly 'event.kind': 'signal';
  readonly 'kibana.alert.uuid': string;
  readonly 'kibana.alert.rule.rule_id': string;
  readonly 'kibana.alert.rule.name': string;
  readonly 'kibana.alert.severity': Severity;
  readonly 'kibana.alert.risk_score': number;
  readonly 'kibana.alert.reason': string;
};

/** What `ruleFields` guarantees, typed, so alert builders need no casts. */
export type RuleAlertFields = Record<string, unknown> &
  Pick<AlertDocument, 'kibana.alert.rule.rule_id' | 'kibana.alert.rule.name' | 'kibana.alert.severity' | 'kibana.alert.risk_score'>;

const ID_SCHEME = 'eql-stream/alert/v1';
const MAX_OWN_ID_LENGTH = 512;

/**
 * Deterministic alert id: sha256 (hex) over the rule id and the source event's
 * identity — its own document id within its index when it has one, otherwise
 * the Kafka coordinates topic, partition, offset. Fields are JSON-encoded, so
 * no two different inputs share an encoding.
 */
export function alertId(ruleId: string, source: EventSource): string {
  const identity =
    source.id !== undefined
      ? ['id', source.index ?? source.topic, source.id]
      : ['offset', source.topic, source.partition, source.offset];
  return sha256Hex(JSON.stringify([ID_SCHEME, ruleId, ...identity]));
}

/**
 * The source with the event's own identity filled in from its `_id` / `_index`
 * (Elasticsearch documents re-published to Kafka carry them) unless already set.
 * `event.id` is deliberately not used: nothing makes it unique across hosts and producers.
 */
export function withEventIdentity(source: EventSource, event: Record<string, unknown>): EventSource {
  if (source.id !== undefined) return source;
  const id = event['_id'];
  if (typeof id !== 'string' || id === '' || id.length > MAX_OWN_ID_LENGTH) return source;
  const index = event['_index'];
  return typeof index === 'string' && index !== '' && index.length <= MAX_OWN_ID_LENGTH
    ? { ...source, id, index }
    : { ...source, id };
}

/**
 * For rules with `timestamp_override: event.ingested`: the event with `event.ingested`
 * set to the processing time when it has none (in a stream, reading the event is
 * its ingestion). Returns the input itself when nothing changes; never mutates it.
 */
export function withIngestedTimestamp(event: Record<string, unknown>, now: Date): Record<string, unknown> {
  if (fieldValues(event, 'event.ingested').length > 0) return event;
  const ingested = now.toISOString();
  const nested = event['event'];
  return isPlainObject(nested)
    ? { ...event, event: { ...nested, ingested } }
    : { ...event, 'event.ingested': ingested };
}

/** The alert for one event that matched `rule`. Pure: the input event is not modified or shared. */
export function buildAlert(
  rule: Rule,
  event: Record<string, unknown>,
  source: EventSource,
  now: Date,
  opts: AlertOptions = {},
): AlertDocument {
  const def = rule.rule;
  const view = def.timestamp_override === 'event.ingested' ? withIngestedTimestamp(event, now) : event;
  const src = withEventIdentity(source, event);
  const uuid = alertId(def.rule_id, src);
  const eventFields = flattenPrefix(view, 'event');
  const originalTime = eventTime(view);
  const ancestors: Ancestor[] = [
    { id: src.id ?? `${src.topic}/${src.partition}/${src.offset}`, type: 'event', index: src.index ?? src.topic, depth: 0 },
  ];

  // Cloned part by part so that no value is shared with the input or between two keys.
  return {
    ...structuredClone(sourceFields(view)),
    ...structuredClone(eventFields),
    ...prefixed('kibana.alert.original_event', structuredClone(eventFields), 'event'),
    ...ruleFields(rule, opts),
    '@timestamp': now.toISOString(),
    'event.kind': 'signal',
    ...(originalTime ? { 'kibana.alert.original_time': originalTime.toISOString() } : {}),
    'kibana.alert.ancestors': ancestors,
    'kibana.alert.depth': 1,
    'kibana.alert.reason': buildReason(view, def.name, def.severity),
    'kibana.alert.uuid': uuid,
  };
}

/**
 * The fields every alert of `rule` carries, hit or summary: the rule's
 * description under `kibana.alert.rule.*`, severity, risk, status and space.
 * A fresh copy each call: nothing is shared with the rule.
 */
export function ruleFields(rule: Rule, opts: AlertOptions = {}): RuleAlertFields {
  const def = rule.rule;
  const parameters = {
    author: def.author,
    description: def.description,
    false_positives: def.false_positives,
    from: def.from,
    index: def.index,
    language: def.language,
    license: def.license,
    max_signals: def.max_signals,
    note: def.note,
    query: def.query,
    references: def.references,
    risk_score: def.risk_score,
    risk_score_mapping: [],
    rule_id: def.rule_id,
    severity: def.severity,
    severity_mapping: [],
    threat: def.threat,
    timestamp_override: def.timestamp_override,
    to: 'now',
    type: def.type,
    version: def.version,
    exceptions_list: [],
  };
  const fields = {
    'kibana.alert.rule.author': def.author,
    'kibana.alert.rule.category': 'Event Correlation Rule',
    'kibana.alert.rule.consumer': 'siem',
    'kibana.alert.rule.description': def.description,
    'kibana.alert.rule.enabled': true,
    'kibana.alert.rule.exceptions_list': [],
    'kibana.alert.rule.false_positives': def.false_positives,
    'kibana.alert.rule.from': def.from,
    'kibana.alert.rule.indices': def.index,
    'kibana.alert.rule.interval': def.interval,
    'kibana.alert.rule.license': def.license,
    'kibana.alert.rule.max_signals': def.max_signals,
    'kibana.alert.rule.name': def.name,
    'kibana.alert.rule.note': def.note,
    'kibana.alert.rule.parameters': parameters,
    'kibana.alert.rule.producer': 'siem',
    'kibana.alert.rule.references': def.references,
    'kibana.alert.rule.risk_score': def.risk_score,
    'kibana.alert.rule.risk_score_mapping': [],
    'kibana.alert.rule.rule_id': def.rule_id,
    'kibana.alert.rule.rule_type_id': 'siem.eqlRule',
    'kibana.alert.rule.severity': def.severity,
    'kibana.alert.rule.severity_mapping': [],
    'kibana.alert.rule.tags': def.tags,
    'kibana.alert.rule.threat': def.threat,
    'kibana.alert.rule.timestamp_override': def.timestamp_override,
    'kibana.alert.rule.to': 'now',
    'kibana.alert.rule.type': def.type,
    // No Kibana saved object exists for a rule run here: its uuid is its rule_id.
    'kibana.alert.rule.uuid': def.rule_id,
    'kibana.alert.rule.version': def.version,
    'kibana.alert.severity': def.severity,
    'kibana.alert.risk_score': def.risk_score,
    'kibana.alert.status': 'active',
    'kibana.alert.workflow_status': 'open',
    'kibana.alert.workflow_tags': [],
    'kibana.alert.workflow_assignee_ids': [],
    'kibana.space_ids': [opts.spaceId ?? 'default'],
    'kibana.version': opts.kibanaVersion ?? DEFAULT_KIBANA_VERSION,
  };
  // Optional rule keys absent from the file are left out rather than written as null.
  return structuredClone(dropUndefined({ ...fields, 'kibana.alert.rule.parameters': dropUndefined(parameters) })) as RuleAlertFields;
}

/**
 * The source event's own fields, minus what the alert re-states: `event.*`
 * (re-added as flat keys), any `kibana.*` (the alert's own namespace) and
 * Elasticsearch metadata keys (`_id`, `_index`, …), which a document cannot hold.
 */
function sourceFields(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.startsWith('_') || key === 'event' || key.startsWith('event.') || key === 'kibana' || key.startsWith('kibana.')) {
      continue;
    }
    out[key] = value;
  }
  return out;
}

function prefixed(prefix: string, flat: Record<string, unknown>, strip: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) out[`${prefix}${key.slice(strip.length)}`] = value;
  return out;
}

function dropUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
