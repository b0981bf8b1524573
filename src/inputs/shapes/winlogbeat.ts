// Winlogbeat 8 / Elastic Agent output before the ingest pipeline: `winlog.*` plus `event.code`,
// `event.provider`, `host.name`; nested, dotted or mixed keys.
import { DerivedDoc, hasDottedTopLevelKey, isObject, pick, pickObject, type Doc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import { dataString, EnvelopeEvent, type EnvelopeSources } from './raw-event.js';
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
class WinlogbeatEvent extends EnvelopeEvent<Doc> {
  private readonly eventData: Doc | undefined;

  constructor(doc: Doc, dotted: boolean) {
    super(doc, WINLOGBEAT_ENVELOPE);
    this.eventData = pickObject(doc, WINLOGBEAT_EVENT_DATA, dotted);
  }

  protected field(doc: Doc, path: string): unknown {
    return pick(doc, path);
  }

  data(name: string): string | undefined {
    return this.eventData === undefined ? undefined : dataString(this.eventData[name]);
  }
}

export function normaliseWinlogbeat(doc: Doc, groups: Groups): Doc {
  const dotted = hasDottedTopLevelKey(doc);
  const out = new DerivedDoc(doc, dotted);
  mapWindowsEvent(new WinlogbeatEvent(doc, dotted), out, groups);
  return out.root;
}
