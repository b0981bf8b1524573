// The dead-letter record: the original key and value, unchanged, with headers
// naming why and where from. Consumers of the DLQ can replay it as it was.
// A record must fit the broker's limit, or producing it would be retried for ever:
// a value too large for `maxBytes` is cut, and a header gives its full length
// (the whole record stays in the source topic at the offset the headers name).
import { recordBytes, type Headers, type InputRecord, type OutputRecord } from './kafka.js';

export const DLQ_HEADERS = {
  reason: 'eql-stream.dlq.reason',
  error: 'eql-stream.dlq.error',
  topic: 'eql-stream.dlq.source.topic',
  partition: 'eql-stream.dlq.source.partition',
  offset: 'eql-stream.dlq.source.offset',
  timestamp: 'eql-stream.dlq.source.timestamp',
  /** Set when the value was cut to fit the record size limit: the original value's length in bytes. */
  truncated: 'eql-stream.dlq.value_truncated',
} as const;

const MAX_ERROR_CHARS = 300;

export function deadLetterRecord(dlqTopic: string, source: { topic: string; partition: number }, record: InputRecord, reason: string, message: string, maxBytes: number): OutputRecord {
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
  const room = maxBytes - recordBytes({ topic: dlqTopic, key: record.key, value: null, headers }) - TRUNCATION_HEADER_BYTES;
  let value = record.value;
  if (value !== null && value.length > room) {
    headers[DLQ_HEADERS.truncated] = String(value.length);
    value = value.subarray(0, Math.max(0, room));
  }
  return { topic: dlqTopic, key: record.key, value, headers };
}

/** Room for the truncation marker header, added after the room is measured. */
const TRUNCATION_HEADER_BYTES = 192;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
