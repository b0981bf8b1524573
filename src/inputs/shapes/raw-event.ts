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

/**
 * A raw event read from one input shape's document: the envelope properties come from the shape's
 * `EnvelopeSources`, each the first of its fields present. A class with plain loops, not closures: this runs
 * for every raw event that reaches normalisation (see docs/decisions.md).
 */
export abstract class EnvelopeEvent<D> implements RawWindowsEvent {
  readonly channel: string | undefined;
  readonly eventId: string | undefined;
  readonly provider: string | undefined;
  readonly timeCreated: string | undefined;
  readonly level: string | undefined;
  readonly userSid: string | undefined;

  protected constructor(protected readonly doc: D, from: EnvelopeSources) {
    this.channel = this.first(from.channel);
    this.eventId = this.first(from.eventId);
    this.provider = this.first(from.provider);
    this.timeCreated = this.first(from.timeCreated);
    this.level = this.levelOf(this.first(from.level));
    this.userSid = this.first(from.userSid);
  }

  /** One envelope field of the document, as the shape addresses it (a dotted path, a top-level key). */
  protected abstract field(doc: D, name: string): unknown;

  /** The level as Winlogbeat renders it; shapes that carry it differently override this. */
  protected levelOf(level: string | undefined): string | undefined {
    return level;
  }

  abstract data(name: string): string | undefined;

  private first(fields: readonly string[]): string | undefined {
    for (const f of fields) {
      const s = dataString(this.field(this.doc, f));
      if (s !== undefined) return s;
    }
    return undefined;
  }
}

/** Event-data values as strings: the Windows event log renders every value as text. */
export function dataString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
