// The streaming worker: a consumer group over the input topics, one batch loop.
// Per partition, in offset order, in steps of `commitEvery` records:
//   evaluate each record (evaluate.ts) → alerts (capped) and dead-letter records
//   → produce them (acks=all, idempotent; or inside a transaction)
//   → once acknowledged: resolve and commit the step's last offset + 1.
// Nothing is committed before what it depends on is acknowledged, so a crash
// re-reads uncommitted records and re-produces alerts with the same ids.
import type { Logger } from 'pino';
import type { AlertDocument } from '../alerts/alert.js';
import { fitAlert } from '../alerts/fit.js';
import { AlertCap } from '../alerts/cap.js';
import { eventTime } from '../alerts/fields.js';
import { FramedDecoder, RegistryUnavailableError, type RegistryClient } from '../inputs/decode.js';
import type { Config } from '../ops/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { Rule } from '../rules/types.js';
import { InFlightLimit } from './backpressure.js';
import { deadLetterRecord } from './dead-letter.js';
import { alertView, evaluateRecord, topicRules, type EvaluateOptions, type RecordOutcome, type TopicRules } from './evaluate.js';
import type { Assignment, BatchControl, FetchedBatch, InputRecord, KafkaClient, OutputRecord, StreamAdmin, StreamConsumer, StreamProducer } from './kafka.js';
import { deriveTopics } from './topics.js';

export const ALERT_HEADERS = { ruleId: 'eql-stream.rule_id', severity: 'eql-stream.severity' } as const;

export interface WorkerDeps {
  readonly client: KafkaClient;
  readonly config: Config;
  readonly rules: readonly Rule[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly registry: RegistryClient | null;
  readonly now?: () => Date;
}

/** What one step sends, and what to count once it is acknowledged. */
interface Step {
  readonly records: OutputRecord[];
  readonly alerts: AlertDocument[];
  readonly deadLetters: string[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const backoff = (attempt: number) => Math.min(200 * 2 ** attempt, 10_000);

export class Worker {
  private readonly config: Config;
  private readonly log: Logger;
  private readonly metrics: Metrics;
  private readonly now: () => Date;
  private readonly consumer: StreamConsumer;
  private readonly producer: StreamProducer;
  private readonly admin: StreamAdmin;
  private readonly limit: InFlightLimit;
  private readonly evaluateOptions: EvaluateOptions;
  private readonly byTopic = new Map<string, TopicRules>();
  private readonly cap: AlertCap | null;
  private topics: string[] = [];
  private assigned = 0;
  private running = false;
  private stopping = false;
  private refreshTimer: NodeJS.Timeout | null = null;
  private restarting: Promise<void> = Promise.resolve();
  // Kafka allows one open transaction per producer: steps of concurrent partitions take turns.
  private transactionQueue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WorkerDeps) {
    const { config, client, metrics, logger } = deps;
    this.config = config;
    this.metrics = metrics;
    this.log = logger;
    this.now = deps.now ?? (() => new Date());
    this.consumer = client.consumer(
      {
        groupId: config.groupId,
        minBytes: config.fetchMinBytes,
        maxBytes: config.fetchMaxBytes,
        maxBytesPerPartition: config.fetchMaxBytesPerPartition,
        maxWaitTimeMs: config.fetchMaxWaitMs,
        sessionTimeoutMs: config.sessionTimeoutMs,
        heartbeatIntervalMs: config.heartbeatIntervalMs,
        readCommitted: true,
        fromBeginning: config.fromBeginning,
      },
      {
        onAssigned: (a) => this.onAssigned(a),
        onRebalancing: () => metrics.rebalances.inc(),
        onCrash: (e, willRestart) => this.onCrash(e, willRestart),
      },
    );
    this.producer = client.producer({ maxRequestBytes: config.maxOutputBytes, ...(config.exactlyOnce ? { transactionalId: config.transactionalId } : {}) });
    this.admin = client.admin();
    this.limit = new InFlightLimit(
      config.maxPendingRecords,
      () => { this.consumer.pauseAll(); metrics.producerPaused.set(1); },
      () => { this.consumer.resumeAll(); metrics.producerPaused.set(0); },
    );
    this.evaluateOptions = { maxMessageBytes: config.maxMessageBytes, prefilter: config.prefilter, framed: new FramedDecoder(deps.registry) };
    this.cap = config.cap ? new AlertCap({ enabled: true }) : null;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.admin.connect();
    await this.producer.connect();
    await this.consumer.connect();
    if (this.config.createTopics) await this.ensureOutputTopics();
    await this.subscribe(await this.selectTopics());
    if (this.config.topics.length === 0) {
      this.refreshTimer = setInterval(() => void this.refreshTopics(), this.config.topicRefreshMs);
      this.refreshTimer.unref();
    }
  }

  /** Finishes the step in progress, produces, commits, leaves the group. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.running = false;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.restarting;
    await this.consumer.stop();
    await this.flushCapSummaries();
    await this.consumer.disconnect();
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  notReadyReason(): string | null {
    if (!this.running) return 'stopped';
    if (!this.producer.isConnected()) return 'producer not connected';
    if (this.topics.length === 0) return 'no input topics (none covered by the rules yet)';
    if (this.assigned === 0) return 'no partitions assigned';
    return null;
  }

  // ---- topics ----------------------------------------------------------------

  /**
   * The configured topics, each of which must exist (the consumer never creates topics) — or, when none are
   * configured, the existing topics some rule covers. A missing topic fails the start, which is retried.
   */
  private async selectTopics(): Promise<string[]> {
    const existing = await this.admin.listTopics();
    if (this.config.topics.length === 0) {
      return deriveTopics(this.deps.rules, existing, [this.config.alertsTopic, this.config.deadLetterTopic], this.config.topicIndex);
    }
    const missing = this.config.topics.filter((t) => !existing.includes(t));
    if (missing.length > 0) throw new Error(`input topics do not exist: ${missing.join(', ')}`);
    return [...this.config.topics];
  }

  private async subscribe(topics: string[]): Promise<void> {
    this.topics = topics;
    if (topics.length === 0) {
      this.log.warn('no input topics: waiting for topics covered by the rules to appear');
      return;
    }
    this.log.info({ kafka: { topics } }, 'consuming');
    await this.consumer.run(topics, (batch, control) => this.handleBatch(batch, control), { concurrency: this.config.concurrency });
  }

  private async refreshTopics(): Promise<void> {
    if (!this.running) return;
    try {
      const next = await this.selectTopics();
      if (next.join('\n') === this.topics.join('\n')) return;
      this.log.info({ kafka: { topics: next, previous: this.topics } }, 'input topics changed: re-subscribing');
      await this.restartConsumer(next);
    } catch (e) {
      this.log.warn({ err: e }, 'topic refresh failed; will try again');
    }
  }

  private restartConsumer(topics: string[]): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      if (!this.running) return;
      await this.consumer.stop();
      this.assigned = 0;
      await this.consumer.connect();
      await this.subscribe(topics);
    });
    return this.restarting;
  }

  private rulesFor(topic: string): TopicRules {
    let t = this.byTopic.get(topic);
    if (!t) {
      t = topicRules(this.deps.rules, topic, this.config);
      this.byTopic.set(topic, t);
    }
    return t;
  }

  private async ensureOutputTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = [this.config.alertsTopic, this.config.deadLetterTopic].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await this.admin.createTopics(missing.map((topic) => ({ topic })));
    this.log.info({ kafka: { topics: missing } }, 'created output topics');
  }

  // ---- group events ----------------------------------------------------------

  private onAssigned(assignment: readonly Assignment[]): void {
    this.assigned = assignment.reduce((n, a) => n + a.partitions.length, 0);
    this.metrics.assignedPartitions.set(this.assigned);
    this.log.info({ kafka: { assignment } }, 'partitions assigned');
  }

  private onCrash(error: Error, willRestart: boolean): void {
    this.assigned = 0;
    this.metrics.assignedPartitions.set(0);
    this.log.error({ err: error }, willRestart ? 'consumer crashed; kafkajs restarts it' : 'consumer crashed; restarting it');
    // kafkajs gives up on non-retriable errors; the worker does not.
    if (!willRestart && this.running) {
      void sleep(5000).then(() => this.restartConsumer(this.topics)).catch((e: unknown) => this.log.error({ err: e }, 'consumer restart failed'));
    }
  }

  // ---- the batch loop --------------------------------------------------------

  private async handleBatch(batch: FetchedBatch, control: BatchControl): Promise<void> {
    const { topic, partition, records } = batch;
    const started = process.hrtime.bigint();
    const t = this.rulesFor(topic);
    this.metrics.batchSize.observe(records.length);
    const step = this.config.commitEvery;
    let done = 0;

    for (let from = 0; from < records.length; from += step) {
      if (control.isStale()) return; // revoked: the next owner re-reads from the last commit
      if (from > 0 && !control.isRunning()) break; // stopping: the finished steps are committed
      const chunk = records.slice(from, from + step);
      const last = chunk[chunk.length - 1] as InputRecord;
      const next = (BigInt(last.offset) + 1n).toString();

      const out = await this.evaluateChunk(topic, partition, chunk, t, control);
      if (!out) return;
      await this.deliver(out, { topic, partition, offset: next }, control);
      control.resolveOffset(last.offset);
      if (!this.config.exactlyOnce) await control.commit(next);
      this.countDelivered(topic, out);
      this.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(next)));
      done += chunk.length;
      await control.heartbeat();
    }

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.batchDuration.observe({ topic }, seconds);
    this.log.debug({ kafka: { topic, partition, records: records.length, processed: done }, event: { duration: Math.round(seconds * 1e9) } }, 'batch');
  }

  /** null when the partition went stale while waiting for the registry. */
  private async evaluateChunk(topic: string, partition: number, chunk: readonly InputRecord[], t: TopicRules, control: BatchControl): Promise<Step | null> {
    const out: Step = { records: [], alerts: [], deadLetters: [] };
    const now = this.now();
    const m = this.metrics;
    m.eventsConsumed.inc({ topic }, chunk.length);
    for (const record of chunk) {
      const outcome = await this.evaluateWithRetry(record, t, control);
      if (!outcome) return null;
      switch (outcome.kind) {
        case 'no_rules':
          break;
        case 'prefiltered':
          m.prefilterRejected.inc({ topic });
          break;
        case 'invalid':
          m.decodeErrors.inc({ topic, reason: outcome.reason });
          this.deadLetter(out, topic, partition, record, outcome.reason, outcome.message);
          break;
        case 'evaluated': {
          m.eventsDecoded.inc({ topic, shape: outcome.shape });
          const at = eventTime(outcome.event);
          if (at) m.eventTimeLag.observe(Math.max(0, (now.getTime() - at.getTime()) / 1000));
          if (outcome.hits.length > 0) this.alertsFor(out, outcome, topic, partition, record, now);
          break;
        }
      }
    }
    // Summaries of closed max_signals windows travel with the step's alerts.
    for (const summary of this.cap?.due(now) ?? []) {
      out.alerts.push(summary);
      out.records.push(this.alertRecord(summary));
    }
    return out;
  }

  /** The step's alerts for one matching record; a record whose alerts cannot be built is dead-lettered. */
  private alertsFor(out: Step, outcome: Extract<RecordOutcome, { kind: 'evaluated' }>, topic: string, partition: number, record: InputRecord, now: Date): void {
    const m = this.metrics;
    const fitted: { alert: AlertDocument; json: string }[] = [];
    try {
      const view = alertView(outcome);
      for (const rule of outcome.hits) {
        m.ruleMatches.inc({ topic, rule_id: rule.rule.rule_id, rule_name: rule.rule.name });
        if (this.cap && !this.cap.admit(rule, now)) {
          m.alertsSuppressed.inc({ rule_id: rule.rule.rule_id });
          continue;
        }
        const f = fitAlert(rule, view, { topic, partition, offset: record.offset }, now, this.config.maxOutputBytes);
        if (f.reduced) this.log.warn({ rule: { id: rule.rule.rule_id }, kafka: { topic, partition, offset: record.offset } }, 'alert too large: kept only the essential event fields');
        fitted.push(f);
      }
    } catch (e) {
      // Alerts of a record go out together or not at all: its dead letter names why.
      this.deadLetter(out, topic, partition, record, 'alert_error', (e as Error).message);
      return;
    }
    for (const f of fitted) {
      out.alerts.push(f.alert);
      out.records.push(this.alertRecord(f.alert, f.json));
    }
  }

  private deadLetter(out: Step, topic: string, partition: number, record: InputRecord, reason: string, message: string): void {
    out.records.push(deadLetterRecord(this.config.deadLetterTopic, { topic, partition }, record, reason, message, this.config.maxOutputBytes));
    out.deadLetters.push(reason);
  }

  private async evaluateWithRetry(record: InputRecord, t: TopicRules, control: BatchControl) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await evaluateRecord(record.value, t, this.evaluateOptions);
      } catch (e) {
        if (!(e instanceof RegistryUnavailableError)) throw e;
        this.log.warn({ err: e, attempt }, 'schema registry unavailable; retrying the record');
        if (control.isStale() || !control.isRunning()) return null;
        await sleep(backoff(attempt));
        await control.heartbeat();
      }
    }
  }

  private alertRecord(alert: AlertDocument, json: string = JSON.stringify(alert)): OutputRecord {
    return {
      topic: this.config.alertsTopic,
      key: alert['kibana.alert.uuid'],
      value: json,
      headers: { [ALERT_HEADERS.ruleId]: alert['kibana.alert.rule.rule_id'], [ALERT_HEADERS.severity]: alert['kibana.alert.severity'] },
    };
  }

  /**
   * Produces a step's records (and, in exactly-once mode, its offset) until
   * acknowledged. Broker outages are waited out with backoff; gives up only when
   * the partition is revoked or the worker stops (then nothing is committed).
   */
  private async deliver(step: Step, offset: { topic: string; partition: number; offset: string }, control: BatchControl): Promise<void> {
    const n = step.records.length;
    if (n === 0 && !this.config.exactlyOnce) return;
    for (let attempt = 0; ; attempt++) {
      await this.limit.acquire(n);
      try {
        if (this.config.exactlyOnce) await this.transact(step.records, offset);
        else await this.producer.send(step.records);
        return;
      } catch (e) {
        if (control.isStale() || (!control.isRunning() && attempt >= 2)) throw e;
        this.log.error({ err: e, attempt, kafka: { topic: offset.topic, partition: offset.partition } }, 'producing failed; retrying');
      } finally {
        this.limit.release(n);
      }
      await sleep(backoff(attempt));
      await control.heartbeat();
    }
  }

  /** One transaction: the records and, when given, the consumer offset they complete. */
  private transact(records: readonly OutputRecord[], offset: { topic: string; partition: number; offset: string } | null): Promise<void> {
    const run = this.transactionQueue.then(async () => {
      const txn = await this.producer.transaction();
      try {
        await txn.send(records);
        if (offset) await txn.sendOffsets(this.config.groupId, [offset]);
        await txn.commit();
      } catch (e) {
        await txn.abort().catch((abortError: unknown) => this.log.warn({ err: abortError }, 'transaction abort failed'));
        throw e;
      }
    });
    this.transactionQueue = run.catch(() => undefined);
    return run;
  }

  private countDelivered(topic: string, step: Step): void {
    for (const alert of step.alerts) {
      const ruleId = alert['kibana.alert.rule.rule_id'];
      const severity = alert['kibana.alert.severity'];
      this.metrics.alertsProduced.inc({ rule_id: ruleId, severity });
      this.log.info({ rule: { id: ruleId, name: alert['kibana.alert.rule.name'] }, kibana: { alert: { uuid: alert['kibana.alert.uuid'] } } }, 'alert');
    }
    for (const reason of step.deadLetters) {
      this.metrics.deadLettered.inc({ topic, reason });
      this.log.warn({ kafka: { topic }, error: { type: reason } }, 'record dead-lettered');
    }
  }

  // ---- the max_signals cap ----------------------------------------------------

  /** At shutdown: summaries of the open windows, so no suppressed hit goes unreported. */
  private async flushCapSummaries(): Promise<void> {
    if (!this.cap) return;
    const summaries = this.cap.flush(this.now());
    if (summaries.length === 0) return;
    const records = summaries.map((s) => this.alertRecord(s));
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.config.exactlyOnce) await this.transact(records, null);
        else await this.producer.send(records);
        this.countDelivered(this.config.alertsTopic, { records, alerts: summaries, deadLetters: [] });
        return;
      } catch (e) {
        if (attempt >= 5) {
          this.log.error({ err: e }, 'could not produce max_signals summary alerts');
          return;
        }
        await sleep(backoff(attempt));
      }
    }
  }
}
