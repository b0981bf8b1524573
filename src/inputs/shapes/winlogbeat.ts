// Winlogbeat 8 / Elastic Agent output before the ingest pipeline: `winlog.*` plus `event.code`,
// `event.provider`, `host.name`; nested, dotted or mixed keys.
import { DerivedDoc, hasDottedTopLevelKey, isObject, pick, pickObject, type Doc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import { dataString, type EnvelopeSources, type RawWindowsEvent } from './raw-event.js';
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

/** The first of `paths` present in the document, as a string. A plain loop: this runs for every raw event. */
function firstAt(doc: Doc, paths: readonly string[]): string | undefined {
  for (const p of paths) {
    const s = dataString(pick(doc, p));
    if (s !== undefined) return s;
  }
  return undefined;
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
    const from = WINLOGBEAT_ENVELOPE;
    this.channel = firstAt(doc, from.channel);
    this.eventId = firstAt(doc, from.eventId);
    this.provider = firstAt(doc, from.provider);
    this.timeCreated = firstAt(doc, from.timeCreated);
    this.level = firstAt(doc, from.level);
    this.userSid = firstAt(doc, from.userSid);
    this.eventData = pickObject(doc, WINLOGBEAT_EVENT_DATA, dotted);
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
