// `eql-stream run`: the streaming worker. Wires configuration, rules, metrics,
// the HTTP endpoints, the Kafka client and the worker; shuts down gracefully on
// SIGTERM/SIGINT within the configured time.
import { parseArgs } from 'node:util';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RegistryClient } from '../inputs/decode.js';
import { derivedFields } from '../inputs/normalise.js';
import { ConfigError, loadConfig, redactConfig, type Config, type LoadedConfig } from '../ops/config.js';
import { startOpsServer, type OpsServer } from '../ops/http.js';
import { createLogger, type Logger } from '../ops/logger.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import { createKafkajsClient } from '../pipeline/kafkajs-adapter.js';
import { uncoveredTopics } from '../pipeline/topics.js';
import { Worker } from '../pipeline/worker.js';
import { loadRules } from '../rules/loader.js';
import { packageVersion } from './version.js';
import type { Rule } from '../rules/types.js';

export const RUN_USAGE = `usage: eql-stream run [options]
  --config FILE              JSON or TOML configuration file
  --rules PATH               rule file or folder (default: the bundled rules); --rule works too
  --topics a,b               input topics (default: every existing topic the rules' index patterns cover);
                             each must exist and be covered (see EQL_STREAM_TOPIC_INDEX)
  --brokers h:p,h:p          bootstrap brokers
  --group ID                 consumer group id
  --alerts-topic NAME        alerts topic
  --dead-letter-topic NAME   dead-letter topic
  --registry URL             schema registry URL
  --exactly-once             Kafka transactions (alerts and offsets together)
  --transactional-id ID      transactional id (exactly-once mode)
  --metrics-port N           port of /metrics, /healthz, /readyz (0: any free port)
  --log-level LEVEL          trace, debug, info, warn, error, fatal, silent
Every setting also reads from an EQL_STREAM_* environment variable: see docs/configuration.md.`;

const FLAGS = {
  config: { type: 'string' },
  rules: { type: 'string', key: 'rulesPath' },
  rule: { type: 'string', key: 'rulesPath' },
  topics: { type: 'string', key: 'topics' },
  brokers: { type: 'string', key: 'brokers' },
  group: { type: 'string', key: 'groupId' },
  'alerts-topic': { type: 'string', key: 'alertsTopic' },
  'dead-letter-topic': { type: 'string', key: 'deadLetterTopic' },
  registry: { type: 'string', key: 'registryUrl' },
  'exactly-once': { type: 'boolean', key: 'exactlyOnce' },
  'transactional-id': { type: 'string', key: 'transactionalId' },
  'metrics-port': { type: 'string', key: 'metricsPort' },
  'log-level': { type: 'string', key: 'logLevel' },
  help: { type: 'boolean' },
} as const;

/** Runs until SIGTERM/SIGINT; resolves to the process exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  let loaded: LoadedConfig;
  try {
    const { values } = parseArgs({ args: argv, options: FLAGS as never, strict: true, allowPositionals: false });
    const v = values as Record<string, string | boolean | undefined>;
    if (v.help) {
      process.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    const overrides: Record<string, unknown> = {};
    for (const [flag, spec] of Object.entries(FLAGS)) {
      if ('key' in spec && v[flag] !== undefined) overrides[spec.key] = v[flag];
    }
    loaded = loadConfig({ env: process.env, ...(typeof v.config === 'string' ? { file: v.config } : {}), overrides });
  } catch (e) {
    process.stderr.write(`eql-stream run: ${e instanceof ConfigError ? e.message : (e as Error).message}\n${e instanceof ConfigError ? '' : `${RUN_USAGE}\n`}`);
    return 2;
  }

  const { config } = loaded;
  const logger = createLogger(config.logLevel);
  logger.info({ config: redactConfig(config) }, 'starting');

  let rules: Rule[];
  try {
    rules = await loadRules(config.rulesPath ?? undefined, { derivedFields });
  } catch (e) {
    logger.fatal({ err: e }, 'cannot load rules');
    return 2;
  }

  const uncovered = uncoveredTopics(rules, config.topics, config.topicIndex);
  if (uncovered.length > 0) {
    const patterns = [...new Set(rules.flatMap((r) => r.rule.index))].join(', ');
    logger.fatal(
      `no rule covers input topic ${uncovered.join(', ')}: a rule applies only to topics its index patterns cover (${patterns}). ` +
        `Name the topic to match, or map it to an index name with EQL_STREAM_TOPIC_INDEX (e.g. "${uncovered[0]}=logs-windows.sysmon_operational-default").`,
    );
    logger.flush();
    return 2;
  }

  const metrics = createMetrics();
  recordInfo(metrics, rules);
  const registry = config.registryUrl ? createRegistry(config) : null;
  const client = createKafkajsClient(connectionSettings(loaded), logger);
  const worker = new Worker({ client, config, rules, metrics, logger, registry });
  let server: OpsServer;
  try {
    server = await startOpsServer(metrics.registry, worker, config.metricsPort, config.metricsHost);
  } catch (e) {
    logger.fatal({ err: e }, `cannot listen on ${config.metricsHost}:${config.metricsPort}`);
    return 2;
  }
  logger.info({ url: { port: server.port }, rules: rules.map((r) => r.rule.rule_id) }, 'metrics and health endpoints listening');

  const stopped = waitForSignal(logger);
  const started = startWithRetry(worker, logger, stopped.signalled);
  await stopped.promise;
  const code = await shutdown(worker, server, started, config, logger);
  // The Kafka client may leave retry timers behind (e.g. a connect to brokers never reached):
  // they must not hold the process past its shutdown.
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}

function connectionSettings({ config, tlsMaterial }: LoadedConfig) {
  return {
    brokers: config.brokers,
    clientId: config.clientId,
    ...(config.tls ? { tls: { ...tlsMaterial, rejectUnauthorized: config.tlsRejectUnauthorized } } : {}),
    ...(config.saslMechanism ? { sasl: { mechanism: config.saslMechanism, username: config.saslUsername ?? '', password: config.saslPassword ?? '' } } : {}),
  };
}

function createRegistry(config: Config): RegistryClient {
  return new SchemaRegistry({
    host: config.registryUrl as string,
    clientId: config.clientId,
    retry: { retries: 2, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 },
    ...(config.registryUsername ? { auth: { username: config.registryUsername, password: config.registryPassword ?? '' } } : {}),
  }) as unknown as RegistryClient;
}

function recordInfo(metrics: Metrics, rules: readonly Rule[]): void {
  for (const r of rules) {
    metrics.ruleInfo.set({ rule_id: r.rule.rule_id, rule_name: r.rule.name, version: String(r.rule.version), sha256: r.sha256 }, 1);
  }
  metrics.buildInfo.set({ version: packageVersion(), node_version: process.version }, 1);
}

/** The broker may be down at start: keep trying (the health endpoint says why not ready). */
async function startWithRetry(worker: Worker, logger: Logger, signalled: () => boolean): Promise<void> {
  for (let attempt = 0; !signalled(); attempt++) {
    try {
      await worker.start();
      return;
    } catch (e) {
      const wait = Math.min(1000 * 2 ** attempt, 30_000);
      logger.error({ err: e, attempt }, `start failed; retrying in ${wait} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function waitForSignal(logger: Logger): { promise: Promise<void>; signalled: () => boolean } {
  let received: string | null = null;
  const promise = new Promise<void>((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      if (received) return;
      received = signal;
      logger.info({ process: { signal } }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
  });
  return { promise, signalled: () => received !== null };
}

async function shutdown(worker: Worker, server: OpsServer, started: Promise<void>, config: Config, logger: Logger): Promise<number> {
  let startedYet = false;
  void started.then(() => { startedYet = true; });
  await Promise.resolve(); // lets an already settled start be seen
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
  });
  const graceful = (async () => {
    // Still trying to reach the brokers: nothing was consumed, so nothing needs finishing or committing.
    if (!startedYet) return 'stopped' as const;
    await started;
    await worker.stop();
    return 'stopped' as const;
  })();
  const outcome = await Promise.race([graceful, timeout]).catch((e: unknown) => {
    logger.error({ err: e }, 'error while stopping');
    return 'error' as const;
  });
  clearTimeout(timer);
  await server.close();
  if (outcome === 'timeout') logger.error(`graceful shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting anyway (uncommitted records are re-read by the group)`);
  else logger.info('stopped');
  logger.flush();
  return outcome === 'stopped' ? 0 : 1;
}
