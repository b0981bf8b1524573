// Helpers shared by every integration test: where the real broker and registry
// are, unique names so tests never share topics or groups, and quiet clients.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

const DEFAULT_BROKERS = '127.0.0.1:9092';
const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';
const SERVICES_SCRIPT = fileURLToPath(new URL('../../../scripts/services.sh', import.meta.url));

/** Bootstrap brokers from KAFKA_BROKERS (comma-separated), default the local broker. */
export function brokers(): string[] {
  const list = (process.env.KAFKA_BROKERS ?? DEFAULT_BROKERS)
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (list.length === 0) throw new Error('KAFKA_BROKERS is set but names no broker');
  return list;
}

/** Confluent-compatible registry base URL from SCHEMA_REGISTRY_URL, default local Apicurio. */
export function registryUrl(): string {
  return (process.env.SCHEMA_REGISTRY_URL ?? DEFAULT_REGISTRY_URL).replace(/\/+$/, '');
}

let nameCounter = 0;

/** A topic/group/subject name no other test (or earlier run) uses: legal in Kafka topic names. */
export function uniqueName(prefix: string): string {
  const clean = prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 100);
  nameCounter += 1;
  return `${clean}-${process.pid}-${Date.now().toString(36)}-${nameCounter}-${randomBytes(3).toString('hex')}`;
}

function clientLogLevel(): logLevel {
  const wanted = process.env.KAFKAJS_LOG_LEVEL?.toUpperCase();
  const levels: Record<string, logLevel> = {
    NOTHING: logLevel.NOTHING,
    ERROR: logLevel.ERROR,
    WARN: logLevel.WARN,
    INFO: logLevel.INFO,
    DEBUG: logLevel.DEBUG,
  };
  // Default NOTHING: kafkajs logs retriable errors (rebalances, leader moves) at
  // ERROR level; the tests' own assertions say what went wrong.
  return (wanted === undefined ? undefined : levels[wanted]) ?? logLevel.NOTHING;
}

/** A kafkajs client for the test brokers; set KAFKAJS_LOG_LEVEL=debug to see its logs. */
export function kafkaClient(clientId: string = uniqueName('eql-stream-test')): Kafka {
  return new Kafka({ clientId, brokers: brokers(), logLevel: clientLogLevel() });
}

/** A registry client for the test registry (its `host` may carry a base path such as /apis/ccompat/v7). */
export function schemaRegistry(options?: ConstructorParameters<typeof SchemaRegistry>[1]): SchemaRegistry {
  return new SchemaRegistry({ host: registryUrl() }, options);
}

async function withAdmin<T>(use: (admin: Admin) => Promise<T>, kafka: Kafka = kafkaClient()): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates NAME with PARTITIONS partitions and waits for their leaders; returns NAME. */
export async function createTopic(name: string, partitions = 1): Promise<string> {
  await withAdmin(async (admin) => {
    const created = await admin.createTopics({
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${name} already exists: pick it with uniqueName()`);
  });
  return name;
}

/** Deletes topics a test created (best kept to tests that make many). */
export async function deleteTopics(names: string[]): Promise<void> {
  await withAdmin((admin) => admin.deleteTopics({ topics: names }));
}

// --- reachability and startup (used by the global setup) ---------------------

/** True when a metadata request to BROKERS succeeds within a few seconds. */
export async function kafkaReachable(brokerList: string[] = brokers()): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'eql-stream-test-probe',
    brokers: brokerList,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  try {
    await withAdmin((admin) => admin.describeCluster(), kafka);
    return true;
  } catch {
    return false;
  }
}

/** True when the registry lists its subjects. */
export async function registryReachable(url: string = registryUrl()): Promise<boolean> {
  try {
    const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(3_000) });
    return res.ok;
  } catch {
    return false;
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function localPort(hostPort: string): number | undefined {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at);
  const port = Number(hostPort.slice(at + 1));
  return at > 0 && LOCAL_HOSTS.has(host) && Number.isInteger(port) ? port : undefined;
}

function runServicesStart(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SERVICES_SCRIPT, 'start'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/services.sh start exited with ${code}`)),
    );
  });
}

/**
 * Makes sure the broker and registry answer. Local addresses that do not answer
 * are started with scripts/services.sh; anything else that does not answer is an
 * error: integration tests fail, they never skip.
 */
export async function ensureServices(brokerList: string[] = brokers(), url: string = registryUrl()): Promise<void> {
  const [kafkaUp, registryUp] = await Promise.all([kafkaReachable(brokerList), registryReachable(url)]);
  if (kafkaUp && registryUp) return;

  const kafkaPort = localPort(brokerList[0] ?? '');
  const registryPort = localPort(new URL(url).host);
  if (!kafkaUp && kafkaPort === undefined) {
    throw new Error(`Kafka at ${brokerList.join(',')} (KAFKA_BROKERS) is not reachable and is not local`);
  }
  if (!registryUp && registryPort === undefined) {
    throw new Error(`schema registry at ${url} (SCHEMA_REGISTRY_URL) is not reachable and is not local`);
  }
  const env = { ...process.env };
  if (kafkaPort !== undefined) env.KAFKA_PORT = String(kafkaPort);
  if (registryPort !== undefined) env.REGISTRY_PORT = String(registryPort);
  await runServicesStart(env);

  const [kafkaNow, registryNow] = await Promise.all([kafkaReachable(brokerList), registryReachable(url)]);
  if (!kafkaNow) throw new Error(`Kafka at ${brokerList.join(',')} still not reachable after starting it`);
  if (!registryNow) throw new Error(`schema registry at ${url} still not reachable after starting it`);
}
