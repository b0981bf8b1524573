// An alert must fit in one Kafka record: a broker refuses records above its
// message.max.bytes, and retrying such a record would stall its partition for
// ever. An alert whose document is too large is rebuilt from the source event's
// essential fields only (those the rule read, those the reason text names, the
// event's identity), with a workflow tag saying so; the full event stays in the
// source topic at the offset in kibana.alert.ancestors.
import type { Rule } from '../rules/types.js';
import { buildAlert, type AlertDocument, type EventSource } from './alert.js';
import { fieldValues } from './fields.js';

export const REDUCED_TAG = 'eql-stream:event-fields-reduced';

/** Fields kept in a reduced alert besides the rule's own: identity, time and what the reason text shows. */
const ESSENTIAL_FIELDS = [
  '@timestamp', '_id', '_index',
  'event.category', 'event.type', 'event.action', 'event.code', 'event.kind', 'event.id', 'event.dataset', 'event.module',
  'event.provider', 'event.ingested', 'event.created', 'event.outcome',
  'host.name', 'host.hostname', 'host.id', 'host.os.type', 'agent.type', 'agent.id',
  'user.name', 'user.domain', 'user.id',
  'process.name', 'process.executable', 'process.pid', 'process.entity_id', 'process.parent.name',
  'file.name', 'file.path', 'file.extension', 'file.directory',
  'source.address', 'source.ip', 'source.port', 'destination.address', 'destination.ip', 'destination.port',
];

/** String values longer than this are left out of a reduced alert (ECS keyword fields ignore them anyway). */
const MAX_REDUCED_VALUE_CHARS = 1024;

export interface FittedAlert {
  readonly alert: AlertDocument;
  readonly json: string;
  readonly reduced: boolean;
}

/** The alert and its JSON text, reduced when the JSON is longer than `maxBytes`; throws when even that is too long. */
export function fitAlert(rule: Rule, event: Record<string, unknown>, source: EventSource, now: Date, maxBytes: number): FittedAlert {
  const alert = buildAlert(rule, event, source, now);
  const json = JSON.stringify(alert);
  if (Buffer.byteLength(json) <= maxBytes) return { alert, json, reduced: false };
  const small = buildAlert(rule, essentials(event, rule), source, now);
  const tagged: AlertDocument = { ...small, 'kibana.alert.workflow_tags': [REDUCED_TAG] };
  const reducedJson = JSON.stringify(tagged);
  // Only rule metadata itself (a huge note or description) can leave it too large now.
  if (Buffer.byteLength(reducedJson) > maxBytes) throw new Error(`alert of ${Buffer.byteLength(reducedJson)} bytes is larger than ${maxBytes} even with the essential event fields only`);
  return { alert: tagged, json: reducedJson, reduced: true };
}

function essentials(event: Record<string, unknown>, rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of new Set([...ESSENTIAL_FIELDS, ...rule.compiled.fields])) {
    const values = fieldValues(event, field).filter((v) => typeof v !== 'object' && !(typeof v === 'string' && v.length > MAX_REDUCED_VALUE_CHARS));
    if (values.length > 0) out[field] = values.length === 1 ? values[0] : values;
  }
  return out;
}
