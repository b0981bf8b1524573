// Which fields each input shape must carry for rules to see the ECS fields they
// read (for `explain`). Not a second table of the mapping: the Windows mapping
// itself runs, for every Sysmon and Security event id it knows, on an event that
// records what it is asked for, with the mapping groups the needed fields switch on.
import { DerivedDoc } from './shapes/doc-path.js';
import { FLAT_ENVELOPE } from './shapes/flat.js';
import { groupsFor } from './shapes/mapping-groups.js';
import type { EnvelopeProperty, EnvelopeSources, RawWindowsEvent } from './shapes/raw-event.js';
import { SECURITY_EVENTS } from './shapes/security-tables.js';
import { SYSMON_EVENTS } from './shapes/sysmon-tables.js';
import { mapWindowsEvent } from './shapes/windows-mapping.js';
import { WINLOGBEAT_ENVELOPE, WINLOGBEAT_EVENT_DATA } from './shapes/winlogbeat.js';

export interface ShapeSources {
  /** ECS documents: the fields themselves. */
  readonly ecs: readonly string[];
  /** Winlogbeat / Agent raw: envelope fields (alternatives joined by `|`) and `winlog.event_data.*` names. */
  readonly winlogbeat: readonly string[];
  /** Flat Windows JSON: top-level keys. */
  readonly flat: readonly string[];
}

const CHANNELS: readonly { channel: string; eventIds: readonly string[] }[] = [
  { channel: 'Microsoft-Windows-Sysmon/Operational', eventIds: Object.keys(SYSMON_EVENTS) },
  { channel: 'Security', eventIds: Object.keys(SECURITY_EVENTS) },
];

/** A raw event with no values that records which envelope properties and event-data names are read. */
class RecordingEvent implements RawWindowsEvent {
  constructor(
    readonly channel: string,
    readonly eventId: string,
    private readonly seen: { envelope: Set<EnvelopeProperty>; data: Set<string> },
  ) {}

  private note(p: EnvelopeProperty): undefined {
    this.seen.envelope.add(p);
    return undefined;
  }

  get provider() { return this.note('provider'); }
  get timeCreated() { return this.note('timeCreated'); }
  get level() { return this.note('level'); }
  get userSid() { return this.note('userSid'); }

  data(name: string): string | undefined {
    this.seen.data.add(name);
    return undefined;
  }
}

export function sourceFields(needed: readonly string[]): ShapeSources {
  const groups = groupsFor(needed);
  // channel and event id decide the mapping, so they are always read.
  const seen = { envelope: new Set<EnvelopeProperty>(['channel', 'eventId']), data: new Set<string>() };
  for (const { channel, eventIds } of CHANNELS) {
    for (const eventId of eventIds) mapWindowsEvent(new RecordingEvent(channel, eventId, seen), new DerivedDoc({}, false), groups);
  }
  const data = [...seen.data].sort();
  const envelope = (from: EnvelopeSources) => [...seen.envelope].map((p) => from[p].join('|'));
  return {
    ecs: [...needed],
    winlogbeat: [...envelope(WINLOGBEAT_ENVELOPE), ...data.map((d) => `${WINLOGBEAT_EVENT_DATA}.${d}`)],
    flat: [...envelope(FLAT_ENVELOPE), ...data],
  };
}
