// Winlogbeat 8 / Elastic Agent output before the ingest pipeline: `winlog.*` plus `event.code`,
// `event.provider`, `host.name`; nested, dotted or mixed keys.
import { DerivedDoc, hasDottedTopLevelKey, isObject, pick, pickObject, type Doc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import { dataString, readEnvelope, type EnvelopeSources, type RawWindowsEvent } from './raw-event.js';
import { mapWindowsEvent } from './windows-mapping.js';

/** Cheap key check: a `winlog` object (or dotted `winlog.*` key) naming a channel or event id. */
export function looksLikeWinlogbeat(doc: Doc): boolean {
  const w = doc['winlog'];
  if (isObject(w)) return w['event_id'] !== undefined || w['channel'] !== undefined;
  return doc['winlog.event_id'] !== undefined || doc['winlog.channel'] !== undefined;
}

/** Where the envelope of a Winlogbeat document is read from (Agent writes event.code and event.provider). */
export const WINLOGBEAT_ENVELOPE: EnvelopeSources = {
  channel: ['winlog.channel'],
  eventId: ['winlog.event_id', 'event.code'],
  provider: ['winlog.provider_name', 'event.provider'],
  timeCreated: ['winlog.time_created'],
  level: ['winlog.level'],
  userSid: ['winlog.user.identifier'],
};

/** Where the event data of a Winlogbeat document lives. */
export const WINLOGBEAT_EVENT_DATA = 'winlog.event_data';

/** The Winlogbeat document read as a raw Windows event. */
function winlogbeatEvent(doc: Doc, dotted: boolean): RawWindowsEvent {
  const eventData = pickObject(doc, WINLOGBEAT_EVENT_DATA, dotted);
  return {
    ...readEnvelope(WINLOGBEAT_ENVELOPE, (path) => pick(doc, path)),
    data: (name) => (eventData === undefined ? undefined : dataString(eventData[name])),
  };
}

export function normaliseWinlogbeat(doc: Doc, groups: Groups): Doc {
  const dotted = hasDottedTopLevelKey(doc);
  const out = new DerivedDoc(doc, dotted);
  mapWindowsEvent(winlogbeatEvent(doc, dotted), out, groups);
  return out.root;
}
