// Acceptance test of the local broker: a consumer group reads everything once,
// commits, and a restarted member of the same group re-reads nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { createTopic, kafkaClient, uniqueName } from '../setup/services.js';

const PARTITIONS = 3;
const FIRST_BATCH = 300;
const SECOND_BATCH = 25;

interface Received {
  value: string;
  partition: number;
  offset: string;
}

const consumers: Consumer[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
});

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((value, i) => ({ key: `key-${i}`, value })),
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Starts a group member that reads TOPIC from the beginning (so a missing commit
 * would show up as re-read messages) until COUNT messages arrived, commits the
 * next offsets explicitly, and returns what it read.
 */
async function consumeAndCommit(kafka: Kafka, topic: string, groupId: string, count: number): Promise<Received[]> {
  // A short fetch wait keeps disconnect() from waiting out a long poll.
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 250 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });

  const received: Received[] = [];
  const nextOffsets = new Map<number, string>();
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }: EachMessagePayload) => {
        received.push({ value: message.value?.toString() ?? '', partition, offset: message.offset });
        nextOffsets.set(partition, (BigInt(message.offset) + 1n).toString());
        if (received.length >= count) resolve();
      },
    });
  });
  await done;
  await consumer.commitOffsets(
    [...nextOffsets].map(([partition, offset]) => ({ topic, partition, offset })),
  );
  return received;
}

async function committedOffsets(kafka: Kafka, topic: string, groupId: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [forTopic] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(forTopic?.partitions.map((p) => [p.partition, p.offset]) ?? []);
  } finally {
    await admin.disconnect();
  }
}

async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}

describe('local Kafka broker: consumer group commits survive a consumer restart', () => {
  it('reads every message once, commits, and a restarted consumer re-reads nothing', async () => {
    const kafka = kafkaClient();
    const topic = await createTopic(uniqueName('foundation-group'), PARTITIONS);
    const groupId = uniqueName('foundation-group');

    const first = Array.from({ length: FIRST_BATCH }, (_, i) => `first-${i}`);
    await produce(kafka, topic, first);

    const read = await consumeAndCommit(kafka, topic, groupId, FIRST_BATCH);
    expect(read.map((r) => r.value).sort()).toEqual([...first].sort());
    expect(new Set(read.map((r) => r.partition)).size).toBe(PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = read.filter((r) => r.partition === p).map((r) => Number(r.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i)); // in order, no gap, no repeat
    }
    await consumers.pop()?.disconnect();

    // The broker holds the group's commits at the end of every partition.
    expect(await committedOffsets(kafka, topic, groupId)).toEqual(await endOffsets(kafka, topic));

    const second = Array.from({ length: SECOND_BATCH }, (_, i) => `second-${i}`);
    await produce(kafka, topic, second);

    // Same group, fromBeginning again: only the messages produced after the commit arrive.
    const reread = await consumeAndCommit(kafka, topic, groupId, SECOND_BATCH);
    expect(reread.map((r) => r.value).sort()).toEqual([...second].sort());
  });
});
