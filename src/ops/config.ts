// Worker configuration: defaults < file (--config, JSON or TOML) < environment
// (EQL_STREAM_*) < command-line flags. Every setting is declared once in SETTINGS;
// docs/configuration.md documents each (a unit test checks that).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { ShapeSetting } from '../inputs/types.js';

/** A `pattern=value` setting entry: the first entry whose pattern covers a topic gives its value. */
export interface PatternValue<T> {
  readonly pattern: string;
  readonly value: T;
}

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface Config {
  brokers: string[];
  clientId: string;
  groupId: string;
  /** Empty: derived from the rules' index patterns. */
  topics: string[];
  /** `pattern=shape` entries (picomatch patterns over topic names); first match wins. */
  topicShapes: PatternValue<ShapeSetting>[];
  topicIndex: PatternValue<string>[];
  defaultShape: ShapeSetting;
  topicRefreshMs: number;
  fromBeginning: boolean;
  saslMechanism: SaslMechanism | null;
  saslUsername: string | null;
  saslPassword: string | null;
  tls: boolean;
  tlsCaFile: string | null;
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  tlsRejectUnauthorized: boolean;
  registryUrl: string | null;
  registryUsername: string | null;
  registryPassword: string | null;
  alertsTopic: string;
  deadLetterTopic: string;
  createTopics: boolean;
  concurrency: number;
  commitEvery: number;
  maxPendingRecords: number;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  fetchMaxBytesPerPartition: number;
  fetchMaxWaitMs: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxMessageBytes: number;
  maxOutputBytes: number;
  prefilter: boolean;
  exactlyOnce: boolean;
  transactionalId: string;
  cap: boolean;
  metricsPort: number;
  metricsHost: string;
  logLevel: LogLevel;
  rulesPath: string | null;
  shutdownTimeoutMs: number;
}

type Kind =
  | { type: 'string' | 'url' | 'file' }
  | { type: 'list' }
  | { type: 'int'; min: number; max: number }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'pairs'; values?: readonly string[] };

interface Setting {
  readonly key: keyof Config;
  readonly env: string;
  readonly kind: Kind;
  readonly default: unknown;
  readonly secret?: boolean;
  readonly doc: string;
}

const SHAPES = ['auto', 'ecs', 'winlogbeat', 'flat'] as const;
const MIB = 1024 * 1024;
const int = (min: number, max: number): Kind => ({ type: 'int', min, max });

export const SETTINGS: readonly Setting[] = [
  { key: 'brokers', env: 'EQL_STREAM_BROKERS', kind: { type: 'list' }, default: ['127.0.0.1:9092'], doc: 'Bootstrap brokers, comma-separated host:port.' },
  { key: 'clientId', env: 'EQL_STREAM_CLIENT_ID', kind: { type: 'string' }, default: 'eql-stream', doc: 'Kafka client id.' },
  { key: 'groupId', env: 'EQL_STREAM_GROUP_ID', kind: { type: 'string' }, default: 'eql-stream', doc: 'Consumer group id; workers with the same id share the partitions.' },
  { key: 'topics', env: 'EQL_STREAM_TOPICS', kind: { type: 'list' }, default: [], doc: 'Input topics, comma-separated. Empty: every existing topic covered by a rule index pattern (refreshed periodically).' },
  { key: 'topicShapes', env: 'EQL_STREAM_TOPIC_SHAPES', kind: { type: 'pairs', values: SHAPES }, default: [], doc: 'Input shape per topic: comma-separated `pattern=shape` (shape: auto, ecs, winlogbeat, flat); first matching pattern wins.' },
  { key: 'topicIndex', env: 'EQL_STREAM_TOPIC_INDEX', kind: { type: 'pairs' }, default: [], doc: 'The index name rules see a topic as, for topics not named like the rules\' index patterns: comma-separated `pattern=index` (e.g. `winlogbeat=winlogbeat-kafka`); first matching pattern wins.' },
  { key: 'defaultShape', env: 'EQL_STREAM_SHAPE', kind: { type: 'enum', values: SHAPES }, default: 'auto', doc: 'Input shape of topics no TOPIC_SHAPES pattern covers.' },
  { key: 'topicRefreshMs', env: 'EQL_STREAM_TOPIC_REFRESH_MS', kind: int(1000, 86_400_000), default: 60_000, doc: 'How often derived topics are re-discovered.' },
  { key: 'fromBeginning', env: 'EQL_STREAM_FROM_BEGINNING', kind: { type: 'bool' }, default: true, doc: 'A new group starts at the earliest offset (true) or the latest (false).' },
  { key: 'saslMechanism', env: 'EQL_STREAM_SASL_MECHANISM', kind: { type: 'enum', values: ['plain', 'scram-sha-256', 'scram-sha-512'] }, default: null, doc: 'SASL mechanism; unset: no SASL.' },
  { key: 'saslUsername', env: 'EQL_STREAM_SASL_USERNAME', kind: { type: 'string' }, default: null, doc: 'SASL user name.' },
  { key: 'saslPassword', env: 'EQL_STREAM_SASL_PASSWORD', kind: { type: 'string' }, default: null, secret: true, doc: 'SASL password (never logged).' },
  { key: 'tls', env: 'EQL_STREAM_TLS', kind: { type: 'bool' }, default: false, doc: 'Connect to the brokers with TLS (implied by any TLS file).' },
  { key: 'tlsCaFile', env: 'EQL_STREAM_TLS_CA_FILE', kind: { type: 'file' }, default: null, doc: 'PEM file of the CA that signed the broker certificates.' },
  { key: 'tlsCertFile', env: 'EQL_STREAM_TLS_CERT_FILE', kind: { type: 'file' }, default: null, doc: 'PEM client certificate (mutual TLS).' },
  { key: 'tlsKeyFile', env: 'EQL_STREAM_TLS_KEY_FILE', kind: { type: 'file' }, default: null, doc: 'PEM client key (mutual TLS).' },
  { key: 'tlsRejectUnauthorized', env: 'EQL_STREAM_TLS_REJECT_UNAUTHORIZED', kind: { type: 'bool' }, default: true, doc: 'Verify the broker certificates.' },
  { key: 'registryUrl', env: 'EQL_STREAM_REGISTRY_URL', kind: { type: 'url' }, default: null, doc: 'Confluent-compatible schema registry base URL (e.g. http://127.0.0.1:8081/apis/ccompat/v7). Unset: framed records are dead-lettered.' },
  { key: 'registryUsername', env: 'EQL_STREAM_REGISTRY_USERNAME', kind: { type: 'string' }, default: null, doc: 'Schema registry basic-auth user.' },
  { key: 'registryPassword', env: 'EQL_STREAM_REGISTRY_PASSWORD', kind: { type: 'string' }, default: null, secret: true, doc: 'Schema registry basic-auth password (never logged).' },
  { key: 'alertsTopic', env: 'EQL_STREAM_ALERTS_TOPIC', kind: { type: 'string' }, default: 'eql-stream-alerts', doc: 'Topic the alert documents are produced to.' },
  { key: 'deadLetterTopic', env: 'EQL_STREAM_DEAD_LETTER_TOPIC', kind: { type: 'string' }, default: 'eql-stream-dead-letter', doc: 'Topic undecodable or invalid records are copied to.' },
  { key: 'createTopics', env: 'EQL_STREAM_CREATE_TOPICS', kind: { type: 'bool' }, default: true, doc: 'Create the alerts and dead-letter topics at start when missing (broker default partitions).' },
  { key: 'concurrency', env: 'EQL_STREAM_CONCURRENCY', kind: int(1, 256), default: 2, doc: 'Partitions processed concurrently (order is kept within each partition).' },
  { key: 'commitEvery', env: 'EQL_STREAM_COMMIT_EVERY', kind: int(1, 100_000), default: 1000, doc: 'Records per produce-and-commit step inside a batch (also the heartbeat step).' },
  { key: 'maxPendingRecords', env: 'EQL_STREAM_MAX_PENDING_RECORDS', kind: int(1, 10_000_000), default: 5000, doc: 'Alert and dead-letter records awaiting acknowledgement above which fetching pauses (back-pressure).' },
  { key: 'fetchMinBytes', env: 'EQL_STREAM_FETCH_MIN_BYTES', kind: int(1, 100 * MIB), default: 1, doc: 'Fetch request minimum bytes.' },
  { key: 'fetchMaxBytes', env: 'EQL_STREAM_FETCH_MAX_BYTES', kind: int(1024, 1024 * MIB), default: 10 * MIB, doc: 'Fetch response maximum bytes.' },
  { key: 'fetchMaxBytesPerPartition', env: 'EQL_STREAM_FETCH_MAX_BYTES_PER_PARTITION', kind: int(1024, 1024 * MIB), default: MIB, doc: 'Fetch maximum bytes per partition.' },
  { key: 'fetchMaxWaitMs', env: 'EQL_STREAM_FETCH_MAX_WAIT_MS', kind: int(0, 60_000), default: 500, doc: 'Longest wait of a fetch for minimum bytes.' },
  { key: 'sessionTimeoutMs', env: 'EQL_STREAM_SESSION_TIMEOUT_MS', kind: int(6000, 300_000), default: 30_000, doc: 'Consumer group session timeout.' },
  { key: 'heartbeatIntervalMs', env: 'EQL_STREAM_HEARTBEAT_INTERVAL_MS', kind: int(100, 60_000), default: 3000, doc: 'Consumer heartbeat interval.' },
  { key: 'maxMessageBytes', env: 'EQL_STREAM_MAX_MESSAGE_BYTES', kind: int(64, 1024 * MIB), default: MIB, doc: 'Records with a larger value are dead-lettered (reason oversized) unread.' },
  { key: 'maxOutputBytes', env: 'EQL_STREAM_MAX_OUTPUT_BYTES', kind: int(4096, 1024 * MIB), default: 1_000_000, doc: 'Largest alert or dead-letter record produced: larger alerts keep only the essential event fields, larger dead-letter values are cut (header eql-stream.dlq.value_truncated). Keep it below the output topics\' max.message.bytes (Kafka default 1048588).' },
  { key: 'prefilter', env: 'EQL_STREAM_PREFILTER', kind: { type: 'bool' }, default: true, doc: 'Skip JSON records whose raw bytes cannot match any rule, without parsing them.' },
  { key: 'exactlyOnce', env: 'EQL_STREAM_EXACTLY_ONCE', kind: { type: 'bool' }, default: false, doc: 'Produce alerts and commit offsets in one Kafka transaction (see docs/reliability.md).' },
  { key: 'transactionalId', env: 'EQL_STREAM_TRANSACTIONAL_ID', kind: { type: 'string' }, default: null, doc: 'Transactional id in exactly-once mode; must be stable across restarts of one worker and unique among workers. Default: `<group id>-<host name>`.' },
  { key: 'cap', env: 'EQL_STREAM_CAP', kind: { type: 'bool' }, default: true, doc: 'Cap alerts at max_signals per rule per interval window (excess counted and summarised).' },
  { key: 'metricsPort', env: 'EQL_STREAM_METRICS_PORT', kind: int(0, 65_535), default: 9464, doc: 'Port of /metrics, /healthz, /readyz (0: any free port).' },
  { key: 'metricsHost', env: 'EQL_STREAM_METRICS_HOST', kind: { type: 'string' }, default: '0.0.0.0', doc: 'Address the HTTP endpoints listen on.' },
  { key: 'logLevel', env: 'EQL_STREAM_LOG_LEVEL', kind: { type: 'enum', values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] }, default: 'info', doc: 'Log level (debug adds a line per batch).' },
  { key: 'rulesPath', env: 'EQL_STREAM_RULES', kind: { type: 'string' }, default: null, doc: 'Rule file or directory of TOML rules. Unset: the bundled rules.' },
  { key: 'shutdownTimeoutMs', env: 'EQL_STREAM_SHUTDOWN_TIMEOUT_MS', kind: int(1000, 600_000), default: 30_000, doc: 'Longest graceful shutdown on SIGTERM/SIGINT before exiting anyway.' },
];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A JSON or TOML file with the camelCase keys of Config. */
  readonly file?: string;
  /** Already-typed or string values (command-line flags). */
  readonly overrides?: Readonly<Partial<Record<keyof Config, unknown>>>;
}

export interface LoadedConfig {
  readonly config: Config;
  /** Contents of the TLS files named in the config. */
  readonly tlsMaterial: { ca?: string; cert?: string; key?: string };
}

export function loadConfig(sources: ConfigSources = {}): LoadedConfig {
  const problems: string[] = [];
  const raw = new Map<keyof Config, { value: unknown; origin: string }>();
  if (sources.file) {
    for (const [k, v] of Object.entries(readConfigFile(sources.file, problems))) {
      const setting = SETTINGS.find((s) => s.key === k);
      if (!setting) problems.push(`${sources.file}: unknown setting "${k}"`);
      else raw.set(setting.key, { value: v, origin: `${sources.file}: ${k}` });
    }
  }
  for (const s of SETTINGS) {
    const v = sources.env?.[s.env];
    if (v !== undefined && v !== '') raw.set(s.key, { value: v, origin: s.env });
  }
  for (const [k, v] of Object.entries(sources.overrides ?? {})) {
    const setting = SETTINGS.find((s) => s.key === k);
    if (!setting) problems.push(`unknown setting "${k}"`);
    else if (v !== undefined) raw.set(setting.key, { value: v, origin: `--${k}` });
  }

  const config: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const given = raw.get(s.key);
    config[s.key] = given === undefined ? s.default : coerce(s, given.value, given.origin, problems);
  }
  const c = config as unknown as Config;
  c.transactionalId ??= `${c.groupId}-${hostname()}`;
  if (c.tlsCaFile || c.tlsCertFile || c.tlsKeyFile) c.tls = true;
  checkConsistency(c, problems);
  const tlsMaterial = problems.length ? {} : readTlsFiles(c, problems);
  if (problems.length) throw new ConfigError(problems);
  return { config: c, tlsMaterial };
}

function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push(`cannot read config file ${file}: ${(e as Error).message}`);
    return {};
  }
  try {
    const parsed: unknown = extname(file).toLowerCase() === '.toml' ? parseToml(text) : JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a table/object at the top level');
    return parsed as Record<string, unknown>;
  } catch (e) {
    problems.push(`cannot parse config file ${file}: ${(e as Error).message}`);
    return {};
  }
}

function coerce(s: Setting, value: unknown, origin: string, problems: string[]): unknown {
  const fail = (what: string) => {
    problems.push(`${origin}: ${what}`);
    return s.default;
  };
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (s.kind.type) {
    case 'string':
    case 'file':
      if (typeof value !== 'string' || text === '') return fail('expected a non-empty string');
      return text;
    case 'url':
      if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) return fail(`expected an http(s) URL, got ${JSON.stringify(value)}`);
      return value.replace(/\/+$/, '');
    case 'list': {
      const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
      if (!items || items.some((i) => typeof i !== 'string')) return fail('expected a comma-separated list or an array of strings');
      return (items as string[]).map((i) => i.trim()).filter((i) => i !== '');
    }
    case 'int': {
      const n = typeof value === 'number' ? value : text !== undefined && /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n < s.kind.min || n > s.kind.max) return fail(`expected an integer from ${s.kind.min} to ${s.kind.max}, got ${JSON.stringify(value)}`);
      return n;
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const t = text?.toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes' || t === 'on') return true;
      if (t === 'false' || t === '0' || t === 'no' || t === 'off') return false;
      return fail(`expected true or false, got ${JSON.stringify(value)}`);
    }
    case 'enum': {
      const t = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (t === undefined || !s.kind.values.includes(t)) return fail(`expected one of ${s.kind.values.join(', ')}, got ${JSON.stringify(value)}`);
      return t;
    }
    case 'pairs':
      return coercePairs(value, s.kind.values, fail);
  }
}

function coercePairs(value: unknown, allowed: readonly string[] | undefined, fail: (what: string) => unknown): unknown {
  const entries: [string, unknown][] =
    typeof value === 'string'
      ? value.split(',').filter((e) => e.trim() !== '').map((e) => {
          const i = e.indexOf('=');
          return i < 0 ? [e.trim(), undefined] : [e.slice(0, i).trim(), e.slice(i + 1).trim()];
        })
      : value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value)
        : [];
  const what = allowed ? `pattern=value (value: ${allowed.join(', ')})` : 'pattern=value';
  if (entries.length === 0 && value !== '' && !(typeof value === 'object' && value !== null)) return fail(`expected \`${what}\` entries`);
  const out: PatternValue<string>[] = [];
  for (const [pattern, v] of entries) {
    if (pattern === '' || typeof v !== 'string' || v === '' || (allowed !== undefined && !allowed.includes(v))) {
      return fail(`bad entry ${JSON.stringify(pattern)}=${JSON.stringify(v)}: expected ${what}`);
    }
    out.push({ pattern, value: v });
  }
  return out;
}

function checkConsistency(c: Config, problems: string[]): void {
  if (c.brokers.length === 0) problems.push('EQL_STREAM_BROKERS: at least one broker is required');
  for (const b of c.brokers) if (!/^\S+:\d{1,5}$/.test(b)) problems.push(`EQL_STREAM_BROKERS: "${b}" is not host:port`);
  if (c.saslMechanism && (!c.saslUsername || !c.saslPassword)) problems.push('EQL_STREAM_SASL_MECHANISM is set: EQL_STREAM_SASL_USERNAME and EQL_STREAM_SASL_PASSWORD are required');
  if (!c.saslMechanism && (c.saslUsername || c.saslPassword)) problems.push('SASL credentials given without EQL_STREAM_SASL_MECHANISM');
  if (Boolean(c.tlsCertFile) !== Boolean(c.tlsKeyFile)) problems.push('EQL_STREAM_TLS_CERT_FILE and EQL_STREAM_TLS_KEY_FILE go together');
  if (Boolean(c.registryUsername) !== Boolean(c.registryPassword)) problems.push('EQL_STREAM_REGISTRY_USERNAME and EQL_STREAM_REGISTRY_PASSWORD go together');
  if (c.alertsTopic === c.deadLetterTopic) problems.push('the alerts topic and the dead-letter topic must differ');
  for (const t of c.topics) {
    if (t === c.alertsTopic || t === c.deadLetterTopic) problems.push(`input topic "${t}" is also an output topic`);
  }
  if (c.heartbeatIntervalMs * 3 > c.sessionTimeoutMs) problems.push('EQL_STREAM_HEARTBEAT_INTERVAL_MS must be at most a third of EQL_STREAM_SESSION_TIMEOUT_MS');
  if (c.fetchMaxBytesPerPartition > c.fetchMaxBytes) problems.push('EQL_STREAM_FETCH_MAX_BYTES_PER_PARTITION exceeds EQL_STREAM_FETCH_MAX_BYTES');
}

function readTlsFiles(c: Config, problems: string[]): LoadedConfig['tlsMaterial'] {
  const read = (file: string | null, setting: string): string | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(`${setting}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
  };
  const material: LoadedConfig['tlsMaterial'] = {};
  const ca = read(c.tlsCaFile, 'EQL_STREAM_TLS_CA_FILE');
  const cert = read(c.tlsCertFile, 'EQL_STREAM_TLS_CERT_FILE');
  const key = read(c.tlsKeyFile, 'EQL_STREAM_TLS_KEY_FILE');
  if (ca !== undefined) material.ca = ca;
  if (cert !== undefined) material.cert = cert;
  if (key !== undefined) material.key = key;
  return material;
}

/** The configuration with every secret replaced, for the start-up log line. */
export function redactConfig(c: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  for (const s of SETTINGS) if (s.secret && out[s.key] !== null) out[s.key] = '[redacted]';
  // A URL may carry credentials in its user-info part.
  if (c.registryUrl) {
    const u = new URL(c.registryUrl);
    if (u.username || u.password) {
      u.username = u.password ? '[redacted]' : u.username;
      u.password = '';
      out.registryUrl = u.toString();
    }
  }
  return out;
}
