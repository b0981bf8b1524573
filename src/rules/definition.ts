// Validates the `[rule]` and `[metadata]` tables of a detection-rules TOML file
// and fills in Kibana's defaults. Every failure names the offending key.
import { MAX_QUERY_LENGTH } from '../eql/parser.js';
import type { RuleDefinition, RuleMetadata, Severity, Threat, ThreatTechnique } from './types.js';

/** Kibana's defaults for keys the upstream TOML files usually leave out. */
export const RULE_DEFAULTS = { from: 'now-6m', interval: '5m', max_signals: 100, version: 1 } as const;

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// Anchored, no nested quantifiers: linear on any input.
const DURATION = /^([1-9][0-9]{0,8})([smhd])$/;
// One bound for every text value, the longest query the parser accepts.
const MAX_TEXT = MAX_QUERY_LENGTH;

/** `key` is a dotted path below the file root (`rule.risk_score`, `rule.threat[0].tactic.id`). */
export type Fail = (key: string, detail: string) => never;

/** "30s", "5m", "1h", "1d" in milliseconds; null when not such a duration. */
export function parseInterval(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export function toRuleDefinition(table: unknown, fail: Fail): RuleDefinition {
  const t = asTable(table, 'rule', fail);
  const r = new Reader(t, 'rule', fail);

  const type = r.string('type');
  if (type !== 'eql') fail('rule.type', `rule type "${type}" is not supported: only "eql" rules can run here`);
  const language = r.string('language');
  if (language !== 'eql') fail('rule.language', `language "${language}" is not supported: expected "eql"`);
  const severity = r.string('severity');
  if (!SEVERITIES.includes(severity as Severity)) {
    fail('rule.severity', `expected one of ${SEVERITIES.join(', ')}, got "${severity}"`);
  }
  const index = r.strings('index');
  if (index.length === 0) fail('rule.index', 'expected at least one index pattern');
  const interval = r.optionalString('interval') ?? RULE_DEFAULTS.interval;
  if (parseInterval(interval) === null) {
    fail('rule.interval', `expected a duration such as "30s", "5m", "1h" or "1d", got "${interval}"`);
  }
  const from = r.optionalString('from') ?? RULE_DEFAULTS.from;
  if (!from.startsWith('now')) fail('rule.from', `expected date math relative to now such as "now-6m", got "${from}"`);

  const definition: RuleDefinition = {
    rule_id: r.string('rule_id'),
    name: r.string('name'),
    description: r.string('description'),
    version: r.integer('version', 1, 2 ** 31 - 1) ?? RULE_DEFAULTS.version,
    type: 'eql',
    language: 'eql',
    query: r.string('query'),
    index,
    severity: severity as Severity,
    risk_score: r.integer('risk_score', 0, 100, true) as number,
    tags: r.strings('tags', false),
    threat: readThreats(t['threat'], fail),
    from,
    interval,
    max_signals: r.integer('max_signals', 1, 1_000_000) ?? RULE_DEFAULTS.max_signals,
    false_positives: r.strings('false_positives', false),
    references: r.strings('references', false),
    author: r.strings('author', false),
  };
  const note = r.optionalString('note');
  const license = r.optionalString('license');
  const timestampOverride = r.optionalString('timestamp_override');
  return {
    ...definition,
    ...(note === undefined ? {} : { note }),
    ...(license === undefined ? {} : { license }),
    ...(timestampOverride === undefined ? {} : { timestamp_override: timestampOverride }),
  };
}

/** `[metadata]` is optional; its well-known keys must be strings when present. */
export function toMetadata(table: unknown, fail: Fail): RuleMetadata {
  if (table === undefined) return {};
  const t = asTable(table, 'metadata', fail);
  const r = new Reader(t, 'metadata', fail);
  for (const key of ['creation_date', 'updated_date', 'maturity', 'min_stack_version', 'min_stack_comments']) {
    r.optionalString(key);
  }
  return { ...t };
}

function readThreats(value: unknown, fail: Fail): Threat[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('rule.threat', `expected an array of tables ([[rule.threat]]), got ${describe(value)}`);
  return value.map((item, i) => {
    const path = `rule.threat[${i}]`;
    const r = new Reader(asTable(item, path, fail), path, fail);
    const tactic = readReference(r.table('tactic'), `${path}.tactic`, fail);
    const techniques = r.tables('technique');
    return {
      framework: r.string('framework'),
      tactic,
      ...(techniques === undefined
        ? {}
        : { technique: techniques.map((tech, j) => readTechnique(tech, `${path}.technique[${j}]`, fail)) }),
    };
  });
}

function readTechnique(table: Record<string, unknown>, path: string, fail: Fail): ThreatTechnique {
  const base = readReference(table, path, fail);
  const subs = new Reader(table, path, fail).tables('subtechnique');
  return subs === undefined
    ? base
    : { ...base, subtechnique: subs.map((s, k) => readReference(s, `${path}.subtechnique[${k}]`, fail)) };
}

function readReference(table: Record<string, unknown>, path: string, fail: Fail) {
  const r = new Reader(table, path, fail);
  return { id: r.string('id'), name: r.string('name'), reference: r.string('reference') };
}

function asTable(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (value === undefined) fail(path, `missing table [${path}]`);
  if (!isTable(value)) fail(path, `expected a table, got ${describe(value)}`);
  return value;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'a table';
  return `the ${typeof value} ${String(value)}`;
}

/** Typed access to one table's keys, failing with the key's full path. */
class Reader {
  constructor(
    private readonly t: Record<string, unknown>,
    private readonly path: string,
    private readonly fail: Fail,
  ) {}

  private key(k: string): string {
    return `${this.path}.${k}`;
  }

  string(k: string): string {
    const v = this.optionalString(k);
    if (v === undefined) this.fail(this.key(k), `missing required key "${k}"`);
    if (v.trim() === '') this.fail(this.key(k), 'must not be empty');
    return v;
  }

  optionalString(k: string): string | undefined {
    const v = this.t[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(this.key(k), `expected a string, got ${describe(v)}`);
    if (v.length > MAX_TEXT) this.fail(this.key(k), `longer than ${MAX_TEXT} characters`);
    return v;
  }

  strings(k: string, required = true): string[] {
    const v = this.t[k];
    if (v === undefined) {
      if (required) this.fail(this.key(k), `missing required key "${k}"`);
      return [];
    }
    if (!Array.isArray(v)) this.fail(this.key(k), `expected an array of strings, got ${describe(v)}`);
    v.forEach((item, i) => {
      if (typeof item !== 'string') this.fail(`${this.key(k)}[${i}]`, `expected a string, got ${describe(item)}`);
    });
    return [...(v as string[])];
  }

  integer(k: string, min: number, max: number, required = false): number | undefined {
    const v = this.t[k];
    if (v === undefined) {
      if (required) this.fail(this.key(k), `missing required key "${k}"`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(this.key(k), `expected an integer from ${min} to ${max}, got ${describe(v)}`);
    }
    return v;
  }

  table(k: string): Record<string, unknown> {
    return asTable(this.t[k], this.key(k), this.fail);
  }

  tables(k: string): Record<string, unknown>[] | undefined {
    const v = this.t[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(this.key(k), `expected an array of tables, got ${describe(v)}`);
    return v.map((item, i) => asTable(item, `${this.key(k)}[${i}]`, this.fail));
  }
}
