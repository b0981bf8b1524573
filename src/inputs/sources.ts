// Which fields each input shape must carry for rules to see the ECS fields they
// read (for `explain`). Not a second table of the mapping: the Windows mapping
// itself runs, for every Sysmon and Security event id it knows, with the mapping
// groups the needed fields switch on — once to record what it reads, then with a
// value in one of those source fields at a time, to see which change a needed field.
import { fieldValues } from '../alerts/fields.js';
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

/** Values tried in one source field at a time, one of each kind the mapping parses. */
const PROBES = [
  'C:\\probe\\probe.aspx', // a path
  'NT AUTHORITY\\SYSTEM', // DOMAIN\user
  '4242',
  '0x10',
  '10.0.0.1',
  'true',
  '2021-03-14 01:40:13.660', // Sysmon's UtcTime
  '{6004D249-0957-604D-6019-000000000900}',
  `MD5=${'A'.repeat(32)},SHA1=${'B'.repeat(40)},SHA256=${'C'.repeat(64)},IMPHASH=${'D'.repeat(32)}`,
];

/** A raw event that records what is read, and holds `probe` for one envelope property or data name only. */
class ProbeEvent implements RawWindowsEvent {
  constructor(
    readonly channel: string,
    readonly eventId: string,
    private readonly probed: string | null,
    private readonly probe: string,
    private readonly seen: Set<string>,
  ) {}

  private value(key: string): string | undefined {
    this.seen.add(key);
    return key === this.probed ? this.probe : undefined;
  }

  get provider() { return this.value('provider'); }
  get timeCreated() { return this.value('timeCreated'); }
  get level() { return this.value('level'); }
  get userSid() { return this.value('userSid'); }

  data(name: string): string | undefined {
    return this.value(`data:${name}`);
  }
}

/**
 * For each event id the mapping knows: which envelope properties and event-data names, given a value
 * on their own, change one of the `needed` ECS fields. Channel and event id always count: they pick the mapping.
 */
export function sourceFields(needed: readonly string[]): ShapeSources {
  const groups = groupsFor(needed);
  const used = new Set<string>();
  const output = (event: RawWindowsEvent): string => {
    const out = new DerivedDoc({}, false);
    mapWindowsEvent(event, out, groups);
    return JSON.stringify(needed.map((f) => fieldValues(out.root, f)));
  };
  for (const { channel, eventIds } of CHANNELS) {
    for (const eventId of eventIds) {
      const read = new Set<string>();
      const baseline = output(new ProbeEvent(channel, eventId, null, '', read));
      for (const key of read) {
        if (!used.has(key) && PROBES.some((p) => output(new ProbeEvent(channel, eventId, key, p, new Set())) !== baseline)) used.add(key);
      }
    }
  }
  const data = [...used].filter((k) => k.startsWith('data:')).map((k) => k.slice('data:'.length)).sort();
  const envelope = (from: EnvelopeSources) =>
    (['channel', 'eventId', ...ENVELOPE_PROPERTIES.filter((p) => used.has(p))] as EnvelopeProperty[]).map((p) => from[p].join('|'));
  return {
    ecs: [...needed],
    winlogbeat: [...envelope(WINLOGBEAT_ENVELOPE), ...data.map((d) => `${WINLOGBEAT_EVENT_DATA}.${d}`)],
    flat: [...envelope(FLAT_ENVELOPE), ...data],
  };
}

const ENVELOPE_PROPERTIES: readonly EnvelopeProperty[] = ['provider', 'timeCreated', 'level', 'userSid'];
