// Shared by the pipeline integration tests: the worker as a child process,
// producing records with known offsets, reading topics back, and the corpus.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IHeaders } from 'kafkajs';
import { alertId } from '../../../src/alerts/alert.js';
import { brokers, kafkaClient, uniqueName } from '../setup/services.js';

export const SEED_RULE_ID = '6cd1779c-560f-4b68-a8f1-11009b27fe63';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATA = fileURLToPath(new URL('../../../../shared/data/public/', import.meta.url));
const OTRF_DIR = `${DATA}otrf-security-datasets/datasets/atomic/windows/persistence/host/`;

// ---- corpus --------------------------------------------------------------------

export interface CorpusEvent {
  readonly value: Buffer;
  /** True when the seed rule must fire on it (by construction). */
  readonly hit: boolean;
  readonly label: string;
}

const ndjson = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');

/** The 10,487 real events of the OTRF ProxyLogon capture (flat Windows JSON); the seed rule fires on none. */
export function otrfEvents(): CorpusEvent[] {
  return ndjson(`${OTRF_DIR}proxylogon_ssrf_rce_poc_2021-03-14T01401970.json`).map((l, i) => ({ value: Buffer.from(l), hit: false, label: `otrf#${i + 1}` }));
}

/** The 28 OTRF key events (webshell writes by System and w3wp.exe, cmdlets…): real near-misses. */
export function otrfKeyEvents(): CorpusEvent[] {
  return ndjson(`${OTRF_DIR}proxylogon_ssrf_rce_poc.key-events.ndjson`).map((l, i) => ({ value: Buffer.from(l), hit: false, label: `otrf-key#${i + 1}` }));
}

const EXCHANGE = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy';

function ecsFileEvent(label: string, process: string, path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const name = path.slice(path.lastIndexOf('\\') + 1);
  return {
    '@timestamp': '2021-03-14T01:40:13.660Z',
    event: { category: ['file'], type: ['creation'], kind: 'event' },
    host: { name: 'EXCH01', os: { type: 'windows' } },
    process: { name: process, executable: `C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\${process}`, pid: 4242 },
    file: { path, name, extension: name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : undefined },
    labels: { case: label },
    ...extra,
  };
}

/** Crafted ECS events: one hit per branch of the rule, and near-misses of each. */
export function craftedEvents(): CorpusEvent[] {
  const e = (hit: boolean, label: string, process: string, path: string, extra?: Record<string, unknown>): CorpusEvent => ({
    value: Buffer.from(JSON.stringify(ecsFileEvent(label, process, path, extra))), hit, label,
  });
  // A real Sysmon 11 record from the capture, as if UMWorkerProcess.exe had written the shell.
  const sysmon = JSON.parse(otrfKeyEvents().find((k) => k.value.includes('"EventID":11') && k.value.includes('ohyeah'))?.value.toString() ?? 'null') as Record<string, unknown>;
  const umImage = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe';
  return [
    e(true, 'aspnet_client', 'UMWorkerProcess.exe', 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'),
    e(true, 'owa-auth', 'umservice.exe', `${EXCHANGE}\\owa\\auth\\evil.aspx`),
    e(true, 'ecp-auth', 'UMWorkerProcess.exe', `D${EXCHANGE.slice(1)}\\ecp\\auth\\x.js`),
    e(true, 'case-insensitive', 'umworkerprocess.EXE', 'c:\\INETPUB\\wwwroot\\Aspnet_Client\\a.ASPX', { file: { path: 'c:\\INETPUB\\wwwroot\\Aspnet_Client\\a.ASPX', name: 'a.ASPX', extension: 'ASPX' } }),
    e(false, 'owa-version', 'UMWorkerProcess.exe', `${EXCHANGE}\\owa\\auth\\version\\x.aspx`),
    e(false, 'owa-logon', 'UMWorkerProcess.exe', `${EXCHANGE}\\owa\\auth\\logon.aspx`),
    e(false, 'ecp-timeout', 'umservice.exe', `${EXCHANGE}\\ecp\\auth\\TimeoutLogoff.aspx`),
    e(false, 'w3wp', 'w3wp.exe', 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'),
    e(false, 'txt', 'UMWorkerProcess.exe', 'C:\\inetpub\\wwwroot\\aspnet_client\\notes.txt'),
    e(false, 'deletion', 'UMWorkerProcess.exe', 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx', { event: { category: ['file'], type: ['deletion'] } }),
    { value: Buffer.from(JSON.stringify({ ...sysmon, Image: umImage, Message: String(sysmon.Message).replace('Image: System', `Image: ${umImage}`) })), hit: true, label: 'flat-sysmon11' },
  ];
}

/** Spreads `hits` through `events` at even intervals (deterministic). */
export function interleave(events: CorpusEvent[], hits: CorpusEvent[]): CorpusEvent[] {
  const out = [...events];
  hits.forEach((h, i) => out.splice(Math.floor(((i + 1) * out.length) / (hits.length + 1)), 0, h));
  return out;
}

// ---- producing and reading ------------------------------------------------------

export interface Placed {
  readonly partition: number;
  readonly offset: string;
}

/** Produces values round-robin over `partitions` in order; returns where each landed. */
export async function produce(topic: string, values: readonly (Buffer | string)[], partitions = 1, opts: { compression?: number; chunk?: number } = {}): Promise<Placed[]> {
  const producer = kafkaClient().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const placed: Placed[] = new Array(values.length);
  const chunk = opts.chunk ?? 200;
  try {
    for (let from = 0; from < values.length; from += chunk) {
      const slice = values.slice(from, from + chunk);
      const result = await producer.send({
        topic,
        acks: -1,
        ...(opts.compression !== undefined ? { compression: opts.compression } : {}),
        messages: slice.map((value, i) => ({ value, partition: (from + i) % partitions })),
      });
      const base = new Map(result.map((r) => [r.partition, BigInt(r.baseOffset ?? '0')]));
      const seen = new Map<number, bigint>();
      slice.forEach((_, i) => {
        const partition = (from + i) % partitions;
        const n = seen.get(partition) ?? 0n;
        seen.set(partition, n + 1n);
        placed[from + i] = { partition, offset: ((base.get(partition) ?? 0n) + n).toString() };
      });
    }
  } finally {
    await producer.disconnect();
  }
  return placed;
}

export function expectedAlertIds(topic: string, corpus: readonly CorpusEvent[], placed: readonly Placed[]): string[] {
  return corpus.flatMap((c, i) => (c.hit ? [alertId(SEED_RULE_ID, { topic, partition: placed[i]!.partition, offset: placed[i]!.offset })] : [])).sort();
}

export interface ReadRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: string;
}

/** Reads `topic` from the start until `done` says so (or throws after `timeoutMs`). */
export async function readUntil(topic: string, done: (records: ReadRecord[]) => boolean, opts: { timeoutMs?: number; readCommitted?: boolean; settleMs?: number } = {}): Promise<ReadRecord[]> {
  const consumer = kafkaClient().consumer({ groupId: uniqueName('reader'), readUncommitted: !opts.readCommitted, maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let satisfied = false;
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      records.push({ key: message.key?.toString() ?? null, value: message.value, headers: headerText(message.headers), partition, offset: message.offset });
    },
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  try {
    while (Date.now() < deadline) {
      if (done(records)) {
        satisfied = true;
        break;
      }
      await sleep(200);
    }
    // Give duplicates or stray records a moment to show up before judging.
    if (satisfied && opts.settleMs) await sleep(opts.settleMs);
  } finally {
    await consumer.disconnect();
  }
  if (!satisfied) throw new Error(`timed out reading ${topic}: ${records.length} records so far`);
  return records;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  return out;
}

export async function committedTotal(groupId: string, topic: string): Promise<number> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ---- the worker as a child process ----------------------------------------------

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly logs: string[];
  /** Port of /metrics, /healthz, /readyz once listening. */
  port(): Promise<number>;
  exited: Promise<number | null>;
  metrics(): Promise<string>;
}

export function startWorker(args: string[], env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/pipeline/run-worker.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, EQL_STREAM_BROKERS: brokers().join(','), EQL_STREAM_METRICS_PORT: '0', EQL_STREAM_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    logs.push(...lines);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = async () => {
    let found = 0;
    await waitFor('the worker to listen', () => {
      for (const l of logs) {
        if (l.includes('metrics and health endpoints listening')) found = (JSON.parse(l) as { url: { port: number } }).url.port;
      }
      return found > 0;
    }, 30_000);
    return found;
  };
  return {
    child, logs, port, exited,
    metrics: async () => (await fetch(`http://127.0.0.1:${await port()}/metrics`)).text(),
  };
}

/** Value of one sample (summed over label sets matching `labels`) from Prometheus text. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const l = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

export async function ready(w: WorkerProcess, timeoutMs = 60_000): Promise<void> {
  const port = await w.port();
  await waitFor('the worker to be ready', async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, timeoutMs);
}
