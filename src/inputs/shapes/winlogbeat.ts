// Winlogbeat 8 / Elastic Agent output before the ingest pipeline: `winlog.*` plus `event.code`,
// `event.provider`, `host.name`; nested, dotted or mixed keys.
import { DerivedDoc, hasDottedTopLevelKey, isObject, pick, pickObject, type Doc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import { dataString, type RawWindowsEvent } from './raw-event.js';
import { mapWindowsEvent } from './windows-mapping.js';

/** Cheap key check: a `winlog` object (or dotted `winlog.*` key) naming a channel or event id. */
export function looksLikeWinlogbeat(doc: Doc): boolean {
  const w = doc['winlog'];
  if (isObject(w)) return w['event_id'] !== undefined || w['channel'] !== undefined;
  return doc['winlog.event_id'] !== undefined || doc['winlog.channel'] !== undefined;
}

/** The Winlogbeat document read as a raw Windows event. */
class WinlogbeatEvent implements RawWindowsEvent {
  readonly channel: string | undefined;
  readonly eventId: string | undefined;
  readonly provider: string | undefined;
  readonly timeCreated: string | undefined;
  readonly level: string | undefined;
  readonly userSid: string | undefined;
  private readonly eventData: Doc | undefined;

  constructor(doc: Doc, dotted: boolean) {
    this.channel = dataString(pick(doc, 'winlog.channel'));
    this.eventId = dataString(pick(doc, 'winlog.event_id')) ?? dataString(pick(doc, 'event.code'));
    this.provider = dataString(pick(doc, 'winlog.provider_name')) ?? dataString(pick(doc, 'event.provider'));
    this.timeCreated = dataString(pick(doc, 'winlog.time_created'));
    this.level = dataString(pick(doc, 'winlog.level'));
    this.userSid = dataString(pick(doc, 'winlog.user.identifier'));
    this.eventData = pickObject(doc, 'winlog.event_data', dotted);
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
