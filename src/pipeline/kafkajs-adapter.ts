// Our Kafka interface (kafka.ts) implemented with kafkajs.
import kafkajs, { type Consumer, type KafkaConfig, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { registerCodecs } from '../inputs/codecs.js';
import { recordBytes } from './kafka.js';
import type {
  BatchHandler, ConsumerEvents, ConsumerOptions, KafkaClient, OutputRecord, ProducerOptions,
  StreamAdmin, StreamConsumer, StreamProducer, TopicPartitionOffset, Transaction,
} from './kafka.js';

// kafkajs is CommonJS; its default export carries everything.
const { Kafka, Partitioners, logLevel: KafkaLogLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

export interface ConnectionSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly rejectUnauthorized?: boolean };
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

// kafkajs retries a request this often before giving up; the worker retries
// around that (never losing records), so this only bounds one attempt.
const RETRY = { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 };

export function createKafkajsClient(settings: ConnectionSettings, logger: Logger): KafkaClient {
  registerCodecs();
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    retry: RETRY,
    logLevel: KafkaLogLevel.INFO,
    logCreator: () => (entry: LogEntry) => logKafkajs(logger, entry),
  };
  if (settings.tls) {
    config.ssl = {
      ...(settings.tls.ca ? { ca: [settings.tls.ca] } : {}),
      ...(settings.tls.cert ? { cert: settings.tls.cert } : {}),
      ...(settings.tls.key ? { key: settings.tls.key } : {}),
      rejectUnauthorized: settings.tls.rejectUnauthorized ?? true,
    };
  }
  if (settings.sasl) config.sasl = { ...settings.sasl } as SASLOptions;
  const kafka = new Kafka(config);

  return {
    consumer: (options, events) => new KafkajsConsumer(kafka, options, events ?? {}),
    producer: (options) => new KafkajsProducer(kafka, options ?? {}),
    admin: () => createAdmin(kafka),
  };
}

function logKafkajs(logger: Logger, { namespace, level, label, log }: LogEntry): void {
  // kafkajs logs the whole request on some errors; keep only what identifies it.
  const { message, error, groupId, retryCount, retryTime, broker, topic, partition } = log as Record<string, unknown>;
  const fields = { 'log.logger': namespace ? `kafkajs.${namespace}` : 'kafkajs', kafka: { groupId, retryCount, retryTime, broker, topic, partition }, error };
  const text = String(message);
  if (level === KafkaLogLevel.ERROR) logger.error(fields, text);
  else if (level === KafkaLogLevel.WARN) logger.warn(fields, text);
  else if (level === KafkaLogLevel.INFO) logger.debug(fields, text); // kafkajs info lines are chatty
  else logger.trace({ ...fields, label }, text);
}

class KafkajsConsumer implements StreamConsumer {
  private readonly consumer: Consumer;
  private topics: string[] = [];
  private readonly fromBeginning: boolean;
  readonly groupId: string;

  constructor(kafka: Kafka, options: ConsumerOptions, events: ConsumerEvents) {
    this.groupId = options.groupId;
    this.fromBeginning = options.fromBeginning ?? true;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      ...(options.minBytes !== undefined ? { minBytes: options.minBytes } : {}),
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      ...(options.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
      ...(options.maxWaitTimeMs !== undefined ? { maxWaitTimeInMs: options.maxWaitTimeMs } : {}),
      ...(options.sessionTimeoutMs !== undefined ? { sessionTimeout: options.sessionTimeoutMs } : {}),
      ...(options.heartbeatIntervalMs !== undefined ? { heartbeatInterval: options.heartbeatIntervalMs } : {}),
      readUncommitted: options.readCommitted === false,
      // A mistyped topic name must not create a topic on the cluster.
      allowAutoTopicCreation: false,
      // Restart after any crash: the worker never gives up on its partitions.
      retry: { ...RETRY, restartOnFailure: async () => true },
    });
    const { GROUP_JOIN, REBALANCING, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (e) => {
      const assignment = Object.entries(e.payload.memberAssignment).map(([topic, partitions]) => ({ topic, partitions }));
      events.onAssigned?.(assignment);
    });
    this.consumer.on(REBALANCING, () => events.onRebalancing?.());
    this.consumer.on(CRASH, (e) => events.onCrash?.(e.payload.error, e.payload.restart));
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  async run(topics: readonly string[], handler: BatchHandler, options: { concurrency: number }): Promise<void> {
    this.topics = [...topics];
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: this.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.concurrency,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
        const { topic, partition } = batch;
        await handler(
          { topic, partition, highWatermark: batch.highWatermark, records: batch.messages },
          {
            resolveOffset,
            // The payload's commit works while the consumer stops (consumer.commitOffsets does not),
            // so a batch finished during shutdown is still committed.
            commit: (offset) => commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] }),
            heartbeat,
            isRunning,
            isStale,
          },
        );
      },
    });
  }

  pauseAll(): void {
    this.consumer.pause(this.topics.map((topic) => ({ topic })));
  }

  resumeAll(): void {
    this.consumer.resume(this.topics.map((topic) => ({ topic })));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

type KafkajsMessage = Omit<OutputRecord, 'topic'>;

function toMessages(records: readonly OutputRecord[]): Map<string, KafkajsMessage[]> {
  const byTopic = new Map<string, KafkajsMessage[]>();
  for (const { topic, ...message } of records) {
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push(message);
  }
  return byTopic;
}

/** Records in consecutive runs of at most `maxBytes` (key, value and headers counted); order kept. */
function inRequests(records: readonly OutputRecord[], maxBytes: number): OutputRecord[][] {
  const out: OutputRecord[][] = [];
  let current: OutputRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = recordBytes(r);
    if (current.length > 0 && bytes + size > maxBytes) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const topicMessagesOf = (records: readonly OutputRecord[]) => [...toMessages(records)].map(([topic, messages]) => ({ topic, messages }));

class KafkajsProducer implements StreamProducer {
  private readonly producer: Producer;
  private readonly maxRequestBytes: number;
  private connected = false;

  constructor(kafka: Kafka, options: ProducerOptions) {
    this.maxRequestBytes = options.maxRequestBytes ?? Number.POSITIVE_INFINITY;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Java's default partitioner (murmur2 of the key): alerts with one id land on one partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      ...(options.transactionalId ? { transactionalId: options.transactionalId, transactionTimeout: 60_000 } : {}),
      retry: RETRY,
    });
    this.producer.on(this.producer.events.CONNECT, () => { this.connected = true; });
    this.producer.on(this.producer.events.DISCONNECT, () => { this.connected = false; });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  // kafkajs puts all of a send's records for one partition into one batch: large sends are split here.
  async send(records: readonly OutputRecord[]): Promise<void> {
    for (const run of inRequests(records, this.maxRequestBytes)) await this.producer.sendBatch({ topicMessages: topicMessagesOf(run), acks: -1 });
  }

  async transaction(): Promise<Transaction> {
    const txn = await this.producer.transaction();
    return {
      send: async (records) => {
        for (const run of inRequests(records, this.maxRequestBytes)) await txn.sendBatch({ topicMessages: topicMessagesOf(run), acks: -1 });
      },
      sendOffsets: (groupId, offsets) => txn.sendOffsets({ consumerGroupId: groupId, topics: groupOffsets(offsets) }),
      commit: () => txn.commit(),
      abort: () => txn.abort(),
    };
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  isConnected(): boolean {
    return this.connected;
  }
}

function groupOffsets(offsets: readonly TopicPartitionOffset[]) {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    let list = byTopic.get(o.topic);
    if (!list) byTopic.set(o.topic, (list = []));
    list.push({ partition: o.partition, offset: o.offset });
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

function createAdmin(kafka: Kafka): StreamAdmin {
  const admin = kafka.admin({ retry: RETRY });
  return {
    connect: () => admin.connect(),
    listTopics: () => admin.listTopics(),
    createTopics: async (topics) => {
      await admin.createTopics({
        topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.partitions ?? 1 })),
        waitForLeaders: true,
      });
    },
    deleteTopics: (topics) => admin.deleteTopics({ topics: [...topics] }),
    endOffsets: async (topic) => (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, offset: p.high })),
    committedOffsets: async (groupId, topic) => {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (entry?.partitions ?? []).map((p) => ({ topic, partition: p.partition, offset: p.offset }));
    },
    disconnect: () => admin.disconnect(),
  };
}
