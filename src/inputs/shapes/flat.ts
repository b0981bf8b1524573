// Flat Windows event JSON (NXLog, WEF shippers, HELK/OTRF datasets): `Channel`, `EventID`, `Hostname`,
// `SourceName` and the event data at the top level. Winlogbeat's own envelope fields (winlog.*, host.name,
// message, event.outcome) are derived first, then the shared Windows mapping runs.
import { DerivedDoc, hasDottedTopLevelKey, type Doc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import { dataString, EnvelopeEvent, type EnvelopeSources, type RawWindowsEvent } from './raw-event.js';
import { mapWindowsEvent } from './windows-mapping.js';

/** Cheap key check. */
export function looksFlat(doc: Doc): boolean {
  return doc['Channel'] !== undefined && doc['EventID'] !== undefined;
}

/** Where the envelope of a flat document is read from (top-level keys). */
export const FLAT_ENVELOPE: EnvelopeSources = {
  channel: ['Channel'],
  eventId: ['EventID'],
  provider: ['SourceName', 'ProviderName'],
  timeCreated: ['TimeCreated'],
  level: ['Level'],
  userSid: ['UserID'],
};

/** Top-level keys that describe the record rather than carry event data. */
const ENVELOPE: ReadonlySet<string> = new Set([
  '@timestamp', 'Channel', 'EventID', 'Hostname', 'SourceName', 'ProviderGuid', 'Level', 'Keywords', 'TimeCreated',
  'Message', 'Task', 'Opcode', 'RecordNumber', 'EventRecordID', 'UserID', 'Version', 'ExecutionProcessID',
  'ExecutionThreadID', 'EventTime', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType', 'EventType',
  'SeverityValue', 'Severity', 'Category', 'OpcodeValue',
]);

/** Windows event levels as Winlogbeat renders them (0, LogAlways, is shown as Information). */
const LEVELS: Readonly<Record<string, string>> = {
  '0': 'information', '1': 'critical', '2': 'error', '3': 'warning', '4': 'information', '5': 'verbose',
};

/** The flat document read as a raw Windows event: event data at the top level, Level as a number. */
class FlatEvent extends EnvelopeEvent<Doc> {
  constructor(doc: Doc) {
    super(doc, FLAT_ENVELOPE);
  }

  protected field(doc: Doc, key: string): unknown {
    return doc[key];
  }

  protected override levelOf(level: string | undefined): string | undefined {
    return levelName(level);
  }

  data(name: string): string | undefined {
    return dataString(this.doc[name]);
  }
}

export function normaliseFlat(doc: Doc, groups: Groups): Doc {
  const raw = new FlatEvent(doc);
  const out = new DerivedDoc(doc, hasDottedTopLevelKey(doc));
  out.set('event.provider', raw.provider);
  out.set('event.outcome', auditOutcome(dataString(doc['Keywords'])));
  if (groups.host) out.set('host.name', dataString(doc['Hostname']));
  if (groups.log) out.set('message', dataString(doc['Message']));
  if (groups.winlog) setWinlogEnvelope(doc, raw, out);
  mapWindowsEvent(raw, out, groups);
  return out.root;
}

function levelName(level: string | undefined): string | undefined {
  return level === undefined ? undefined : (LEVELS[level] ?? level.toLowerCase());
}

function setWinlogEnvelope(doc: Doc, raw: RawWindowsEvent, out: DerivedDoc): void {
  out.set('winlog.channel', raw.channel);
  out.set('winlog.event_id', raw.eventId);
  out.set('winlog.provider_name', raw.provider);
  out.set('winlog.provider_guid', dataString(doc['ProviderGuid']));
  out.set('winlog.computer_name', dataString(doc['Hostname']));
  out.set('winlog.record_id', dataString(doc['RecordNumber'] ?? doc['EventRecordID']));
  out.set('winlog.time_created', raw.timeCreated);
  out.set('winlog.level', raw.level);
  if (raw.userSid !== undefined) out.set('winlog.user.identifier', raw.userSid);
  const eventData: Doc = {};
  for (const key of Object.keys(doc)) if (!ENVELOPE.has(key)) eventData[key] = doc[key];
  out.set('winlog.event_data', eventData);
}

/**
 * Winlogbeat's event.outcome: "success" for the Audit Success keyword (0x0020000000000000),
 * "failure" for Audit Failure (0x0010000000000000); also accepts the rendered keyword names.
 */
export function auditOutcome(keywords: string | undefined): string | undefined {
  if (keywords === undefined || keywords.length > 256) return undefined;
  if (keywords.includes('Audit Success')) return 'success';
  if (keywords.includes('Audit Failure')) return 'failure';
  if (!keywords.startsWith('0x') && !keywords.startsWith('0X')) return undefined;
  const hex = keywords.slice(2);
  if (hex.length > 16) return undefined;
  const nibble = parseInt(hex.padStart(16, '0')[2] as string, 16);
  if (Number.isNaN(nibble)) return undefined;
  if (nibble & 2) return 'success';
  if (nibble & 1) return 'failure';
  return undefined;
}
