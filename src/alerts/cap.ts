// The rule's schedule, in a stream: Kibana runs a rule every `interval` and
// writes at most `max_signals` alerts per run. Here that becomes at most
// `max_signals` alerts per rule per `interval` window per worker. Hits beyond
// the cap are counted, and one summary alert per rule and window states how
// many were suppressed.
//
// Windows follow processing time (the `now` the caller passes): event time is
// set by the sender's clock and can be late, early or missing, and the worker
// has no watermark telling it when an event-time window is complete.
import type { Rule } from '../rules/types.js';
import { type AlertDocument, type AlertOptions, ruleFields, sha256Hex } from './alert.js';

interface WindowState {
  readonly rule: Rule;
  /** Window start, ms since the epoch: floor(now / interval) * interval. */
  readonly start: number;
  admitted: number;
  suppressed: number;
  firstSuppressed: number;
  lastSuppressed: number;
}

export interface AlertCapOptions extends AlertOptions {
  /** False turns the cap off: every hit is admitted and no summaries are made. Default true. */
  readonly enabled?: boolean;
}

export class AlertCap {
  private readonly windows = new Map<string, WindowState>();
  private readonly ready: AlertDocument[] = [];
  private suppressedTotal = 0;

  constructor(private readonly opts: AlertCapOptions = {}) {}

  get enabled(): boolean {
    return this.opts.enabled ?? true;
  }

  /** Hits refused since this cap was created (each is also counted in its window's summary). */
  get suppressed(): number {
    return this.suppressedTotal;
  }

  /** True when an alert for this hit of `rule` may be written; false when the window's cap is reached. */
  admit(rule: Rule, now: Date): boolean {
    if (!this.enabled) return true;
    const t = now.getTime();
    const start = windowStart(t, rule.intervalMs);
    const id = rule.rule.rule_id;
    let w = this.windows.get(id);
    // A clock that steps back stays in the current window rather than reopening an old one.
    if (w === undefined || start > w.start) {
      if (w !== undefined) this.close(w, now);
      w = { rule, start, admitted: 0, suppressed: 0, firstSuppressed: 0, lastSuppressed: 0 };
      this.windows.set(id, w);
    }
    if (w.admitted < rule.rule.max_signals) {
      w.admitted++;
      return true;
    }
    if (w.suppressed === 0) w.firstSuppressed = t;
    w.suppressed++;
    w.lastSuppressed = t;
    this.suppressedTotal++;
    return false;
  }

  /**
   * Summary alerts for windows that have ended by `now` (call once per batch,
   * and produce them with the batch's alerts).
   */
  due(now: Date): AlertDocument[] {
    const t = now.getTime();
    for (const [id, w] of this.windows) {
      if (w.start + w.rule.intervalMs <= t) {
        this.close(w, now);
        this.windows.delete(id);
      }
    }
    return this.ready.splice(0);
  }

  /** Summaries for every window with suppressed hits, ended or not (at shutdown). */
  flush(now: Date): AlertDocument[] {
    for (const w of this.windows.values()) this.close(w, now);
    this.windows.clear();
    return this.ready.splice(0);
  }

  private close(w: WindowState, now: Date): void {
    if (w.suppressed > 0) this.ready.push(buildSummary(w, now, this.opts));
  }
}

export function windowStart(timeMs: number, intervalMs: number): number {
  return Math.floor(timeMs / intervalMs) * intervalMs;
}

/**
 * Deterministic id of a window's summary: sha256 over the rule id and the window
 * start, so a restarted worker that refills the same window writes the same id.
 */
export function summaryId(ruleId: string, windowStartMs: number): string {
  return sha256Hex(JSON.stringify(['eql-stream/suppression/v1', ruleId, new Date(windowStartMs).toISOString()]));
}

function buildSummary(w: WindowState, now: Date, opts: AlertOptions): AlertDocument {
  const def = w.rule.rule;
  const start = new Date(w.start).toISOString();
  const end = new Date(w.start + w.rule.intervalMs).toISOString();
  return {
    ...ruleFields(w.rule, opts),
    '@timestamp': now.toISOString(),
    'event.kind': 'signal',
    'kibana.alert.ancestors': [],
    'kibana.alert.depth': 1,
    'kibana.alert.original_time': start,
    'kibana.alert.reason':
      `${w.suppressed} ${w.suppressed === 1 ? 'alert' : 'alerts'} of rule ${def.name} suppressed between ${start} and ${end}: ` +
      `max_signals (${def.max_signals}) per interval (${def.interval}) reached.`,
    'kibana.alert.suppression.docs_count': w.suppressed,
    'kibana.alert.suppression.start': new Date(w.firstSuppressed).toISOString(),
    'kibana.alert.suppression.end': new Date(w.lastSuppressed).toISOString(),
    'kibana.alert.suppression.terms': [{ field: 'kibana.alert.rule.rule_id', value: [def.rule_id] }],
    'kibana.alert.uuid': summaryId(def.rule_id, w.start),
  };
}
