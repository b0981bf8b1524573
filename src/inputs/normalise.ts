// The normalisation stage between decoding and matching: every input shape becomes an ECS view.
import type { InputShape, NormalisedEvent, ShapeSetting } from './types.js';
import { isObject, type Doc } from './shapes/doc-path.js';
import { normaliseEcs } from './shapes/ecs.js';
import { looksFlat, normaliseFlat } from './shapes/flat.js';
import { ALL_GROUPS, groupsForSet } from './shapes/mapping-groups.js';
import { looksLikeWinlogbeat, normaliseWinlogbeat } from './shapes/winlogbeat.js';

/**
 * The shape of one message, by cheap key checks. A document that already carries `event.category` or
 * `event.type` has been through an ingest pipeline (or Elastic Defend) and is ECS even when it keeps `winlog.*`.
 */
export function detectShape(doc: Record<string, unknown>): InputShape {
  if (!isObject(doc)) return 'ecs';
  if (looksLikeWinlogbeat(doc)) return hasCategorisation(doc) ? 'ecs' : 'winlogbeat';
  if (looksFlat(doc)) return 'flat';
  return 'ecs';
}

function hasCategorisation(doc: Doc): boolean {
  const event = doc['event'];
  if (isObject(event) && (event['category'] !== undefined || event['type'] !== undefined)) return true;
  return doc['event.category'] !== undefined || doc['event.type'] !== undefined;
}

/**
 * The ECS view of a decoded document. Raw shapes keep every original field and gain the ECS fields
 * Elastic's ingest pipelines would derive. With `needed` (the fields the loaded rules read), mapping
 * groups that produce none of them are skipped; call without it for the full view (alert documents).
 * Never throws: what cannot be mapped is left out.
 */
export function normalise(
  doc: Record<string, unknown>,
  shape: ShapeSetting,
  needed?: ReadonlySet<string>,
): NormalisedEvent {
  if (!isObject(doc)) return { shape: 'ecs', ecs: {} };
  const resolved = shape === 'auto' ? detectShape(doc) : shape;
  if (resolved === 'ecs') return { shape: resolved, ecs: normaliseEcs(doc) };
  const groups = needed === undefined ? ALL_GROUPS : groupsForSet(needed);
  try {
    const ecs = resolved === 'winlogbeat' ? normaliseWinlogbeat(doc, groups) : normaliseFlat(doc, groups);
    return { shape: resolved, ecs };
  } catch {
    // Defensive only: the mappers check every value's type; an unforeseen input keeps its original fields.
    return { shape: resolved, ecs: doc };
  }
}

/**
 * ECS fields whose value raw-shape normalisation computes rather than copies: constants from tables,
 * converted numbers, lower-cased hashes, split or rewritten strings, reformatted times. Their values
 * need not appear in the raw bytes of the message, so the raw-bytes prefilter must not take literals
 * from them. A field that is only a verbatim substring of a raw string value (file.path, file.name,
 * file.extension, process.name, process.executable, user.name…) is not listed.
 */
export const derivedFields: ReadonlySet<string> = new Set([
  '@timestamp',
  'event.category',
  'event.type',
  'event.action',
  'event.kind',
  'event.outcome',
  'event.module',
  'event.code',
  'event.created',
  'log.level',
  'process.pid',
  'process.parent.pid',
  'process.thread.id',
  'process.args',
  'process.args_count',
  'process.parent.args',
  'process.parent.args_count',
  'process.hash.md5',
  'process.hash.sha1',
  'process.hash.sha256',
  'process.hash.sha384',
  'process.hash.sha512',
  'process.pe.imphash',
  'file.hash.md5',
  'file.hash.sha1',
  'file.hash.sha256',
  'file.hash.sha384',
  'file.hash.sha512',
  'file.pe.imphash',
  'file.code_signature.valid',
  'network.protocol',
  'network.direction',
  'network.type',
  'source.port',
  'source.ip',
  'destination.port',
  'dns.answers',
  'dns.answers.type',
  'dns.answers.data',
  'dns.resolved_ip',
  'registry.hive',
  'registry.data.strings',
  'registry.data.type',
  'related.hash',
  'related.ip',
  'sysmon.file.archived',
  'sysmon.file.is_executable',
  'service.type',
  'winlog.event_id',
  'winlog.level',
  'winlog.record_id',
  'winlog.logon.type',
  'winlog.logon.failure.status',
  'winlog.logon.failure.sub_status',
]);
