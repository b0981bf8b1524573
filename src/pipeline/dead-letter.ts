// The dead-letter record: the original key and value, unchanged, with headers
// naming why and where from. Consumers of the DLQ can replay it as it was.
import type { Headers, InputRecord, OutputRecord } from './kafka.js';

export const DLQ_HEADERS = {
  reason: 'eql-stream.dlq.reason',
  error: 'eql-stream.dlq.error',
  topic: 'eql-stream.dlq.source.topic',
  partition: 'eql-stream.dlq.source.partition',
  offset: 'eql-stream.dlq.source.offset',
  timestamp: 'eql-stream.dlq.source.timestamp',
} as const;

const MAX_ERROR_CHARS = 300;

export function deadLetterRecord(dlqTopic: string, source: { topic: string; partition: number }, record: InputRecord, reason: string, message: string): OutputRecord {
  const headers: Headers = {};
  // Keep the original headers (single values only; kafkajs gives arrays for repeated keys).
  for (const [k, v] of Object.entries(record.headers ?? {})) {
    if (typeof v === 'string' || Buffer.isBuffer(v)) headers[k] = v;
  }
  headers[DLQ_HEADERS.reason] = reason;
  headers[DLQ_HEADERS.error] = truncate(message, MAX_ERROR_CHARS);
  headers[DLQ_HEADERS.topic] = source.topic;
  headers[DLQ_HEADERS.partition] = String(source.partition);
  headers[DLQ_HEADERS.offset] = record.offset;
  headers[DLQ_HEADERS.timestamp] = record.timestamp;
  return { topic: dlqTopic, key: record.key, value: record.value, headers };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
