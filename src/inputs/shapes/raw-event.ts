// What the shared Windows mapping reads from a raw event, whatever its shape.
// winlogbeat.ts and flat.ts each build one of these; windows-mapping.ts consumes it.

export interface RawWindowsEvent {
  /** `winlog.channel` / `Channel`, e.g. "Microsoft-Windows-Sysmon/Operational". */
  readonly channel: string | undefined;
  /** `winlog.event_id` / `EventID` as a decimal string. */
  readonly eventId: string | undefined;
  /** `winlog.provider_name` / `SourceName` (falls back to `event.provider`). */
  readonly provider: string | undefined;
  /** `winlog.time_created` / `TimeCreated`. */
  readonly timeCreated: string | undefined;
  /** `winlog.level` / rendered `Level`: "information", "warning"… */
  readonly level: string | undefined;
  /** `winlog.user.identifier` / `UserID`: the SID in the event's System section. */
  readonly userSid: string | undefined;
  /** One event-data value (`winlog.event_data.X` / top-level `X`) as a string; numbers are stringified. */
  data(name: string): string | undefined;
}

/** The envelope properties of a RawWindowsEvent (everything but its event data). */
export type EnvelopeProperty = 'channel' | 'eventId' | 'provider' | 'timeCreated' | 'level' | 'userSid';

/** Per envelope property, the fields of one input shape it is read from: the first present wins. */
export type EnvelopeSources = Readonly<Record<EnvelopeProperty, readonly string[]>>;

/** Event-data values as strings: the Windows event log renders every value as text. */
export function dataString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
