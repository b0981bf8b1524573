// The small part of a Kafka client the worker needs. The worker only sees these
// types; src/pipeline/kafkajs-adapter.ts implements them with kafkajs, and a
// KafkaJS-compatible client (@confluentinc/kafka-javascript) could replace it.

export type Headers = Record<string, Buffer | string>;

export interface InputRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly records: readonly InputRecord[];
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read (last processed + 1), as Kafka commits it. */
  readonly offset: string;
}

/** What a batch handler may do while it works through one partition's batch. */
export interface BatchControl {
  /** Marks every record up to and including `offset` as done, so a re-fetch starts after it. */
  resolveOffset(offset: string): void;
  /** Commits `offset` (next to read) for this batch's partition in the current generation. */
  commit(offset: string): Promise<void>;
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
  /** True when the partition was revoked or sought, so the rest of the batch must be dropped. */
  isStale(): boolean;
}

export type BatchHandler = (batch: FetchedBatch, control: BatchControl) => Promise<void>;

export interface Assignment {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface ConsumerEvents {
  onAssigned?(assignment: readonly Assignment[]): void;
  onRebalancing?(): void;
  onCrash?(error: Error, willRestart: boolean): void;
}

export interface StreamConsumer {
  connect(): Promise<void>;
  /** Starts consuming `topics`; call again after `stop()` to change the subscription. */
  run(topics: readonly string[], handler: BatchHandler, options: { concurrency: number }): Promise<void>;
  /** Pauses or resumes fetching for every subscribed topic (back-pressure). */
  pauseAll(): void;
  resumeAll(): void;
  /** Finishes the batches in progress, leaves the group. */
  stop(): Promise<void>;
  disconnect(): Promise<void>;
  readonly groupId: string;
}

export interface OutputRecord {
  readonly topic: string;
  /** Default: chosen by the partitioner from the key. */
  readonly partition?: number;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Headers;
}

/** Per-record framing (offset delta, lengths, attributes) added to key, value and headers: an upper bound. */
const RECORD_FRAMING_BYTES = 64;

/** The bytes a record takes in a batch, bounded from above: key, value, headers and framing. */
export function recordBytes(r: OutputRecord): number {
  const len = (v: Buffer | string | null | undefined) => (v === null || v === undefined ? 0 : Buffer.byteLength(v));
  let n = RECORD_FRAMING_BYTES + len(r.key) + len(r.value);
  for (const [k, v] of Object.entries(r.headers ?? {})) n += Buffer.byteLength(k) + len(v);
  return n;
}

export interface Transaction {
  send(records: readonly OutputRecord[]): Promise<void>;
  /** Commits the consumer group's offsets as part of this transaction. */
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface StreamProducer {
  connect(): Promise<void>;
  /** Resolves once every record is acknowledged by all in-sync replicas (acks=all). */
  send(records: readonly OutputRecord[]): Promise<void>;
  /** Only for a producer created with a transactional id. */
  transaction(): Promise<Transaction>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
}

export interface StreamAdmin {
  connect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(topics: readonly { topic: string; partitions?: number }[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** Per partition of `topic`, the offset after its last record (the high watermark). */
  endOffsets(topic: string): Promise<TopicPartitionOffset[]>;
  /** Per partition of `topic`, the group's committed offset ("-1" where it has none). */
  committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  disconnect(): Promise<void>;
}

export interface ProducerOptions {
  /** Set for exactly-once mode; the producer then only sends inside transactions. */
  readonly transactionalId?: string;
  /**
   * Largest request a send may make: the broker refuses record batches above its message.max.bytes, so larger
   * sends go out as several requests, in order. No single record may be larger.
   */
  readonly maxRequestBytes?: number;
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly minBytes?: number;
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
  readonly maxWaitTimeMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Only committed records of transactional producers (exactly-once mode and default). */
  readonly readCommitted?: boolean;
  /** Where a group with no committed offset starts: the earliest record (true, default) or the next new one. */
  readonly fromBeginning?: boolean;
}

export interface KafkaClient {
  consumer(options: ConsumerOptions, events?: ConsumerEvents): StreamConsumer;
  producer(options?: ProducerOptions): StreamProducer;
  admin(): StreamAdmin;
}
