// Record bytes → a JSON object. Two encodings, told apart per record:
// - UTF-8 JSON text (never starts with byte 0);
// - the Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then
//   an Avro, JSON Schema or Protobuf payload, decoded through the schema registry
//   (schemas cached by the registry client; unknown ids cached here for a while).
// Failures are values (a reason for the dead-letter topic), except a registry that
// cannot be reached, which throws RegistryUnavailableError: that record must be
// retried, never dead-lettered.
import { isUtf8 } from 'node:buffer';
import { jsonNestingExceeds, MAX_NESTING_DEPTH, valueNestingExceeds } from './depth.js';

export type DecodeFailureReason =
  | 'empty'
  | 'oversized'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'not_an_object'
  | 'too_deep'
  | 'no_registry'
  | 'unknown_schema'
  | 'schema_decode_error';

export type PayloadFormat = 'json' | 'avro' | 'json-schema' | 'protobuf';

export type DecodeResult =
  | { readonly ok: true; readonly format: PayloadFormat; readonly doc: Record<string, unknown> }
  | { readonly ok: false; readonly reason: DecodeFailureReason; readonly message: string };

export type DecodeFailure = Extract<DecodeResult, { ok: false }>;

export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
}

/** The part of @kafkajs/confluent-schema-registry's SchemaRegistry we use. */
export interface RegistryClient {
  decode(buffer: Buffer): Promise<unknown>;
  cache: { getSchema(id: number): { type: string } | undefined };
}

const MAGIC = 0;
const FRAME_HEADER = 5;

export function isConfluentFrame(value: Uint8Array): boolean {
  return value.length >= FRAME_HEADER && value[0] === MAGIC;
}

export function fail(reason: DecodeFailureReason, message: string): DecodeFailure {
  return { ok: false, reason, message };
}

/** Checks size and emptiness; the first gate every record passes. */
export function checkSize(value: Buffer | null, maxBytes: number): DecodeFailure | null {
  if (value === null || value.length === 0) return fail('empty', 'record has no value');
  if (value.length > maxBytes) return fail('oversized', `value is ${value.length} bytes, limit ${maxBytes}`);
  return null;
}

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A cheap check that JSON text can hold an object (first and last non-blank bytes
 * are braces, valid UTF-8) — run before the prefilter, so records that are plainly
 * not JSON objects are dead-lettered even when the prefilter would skip them.
 * Returns null when the text may be an object.
 */
export function checkJsonEnvelope(value: Buffer): DecodeFailure | null {
  let start = 0;
  if (value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf) start = 3; // UTF-8 BOM
  while (start < value.length && isSpace(value[start])) start++;
  let end = value.length - 1;
  while (end > start && isSpace(value[end])) end--;
  if (value[start] === 0x7b /* { */ && value[end] === 0x7d /* } */) {
    return isUtf8(value) ? null : fail('invalid_utf8', 'value is not valid UTF-8');
  }
  // Not an object: say whether it is other JSON or no JSON at all.
  const parsed = parseJson(value);
  return parsed.ok ? fail('not_an_object', `JSON value is ${describe(parsed.doc)}, not an object`) : parsed;
}

/** Parses UTF-8 JSON text that must be an object. */
export function parseJsonObject(value: Buffer): DecodeResult {
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  if (!isPlainObject(parsed.doc)) return fail('not_an_object', `JSON value is ${describe(parsed.doc)}, not an object`);
  return { ok: true, format: 'json', doc: parsed.doc };
}

const TOO_DEEP = `nested deeper than ${MAX_NESTING_DEPTH} levels`;

function parseJson(value: Buffer): { ok: true; doc: unknown } | { ok: false; reason: 'invalid_json' | 'invalid_utf8' | 'too_deep'; message: string } {
  if (!isUtf8(value)) return { ok: false, reason: 'invalid_utf8', message: 'value is not valid UTF-8' };
  if (jsonNestingExceeds(value)) return { ok: false, reason: 'too_deep', message: `JSON ${TOO_DEEP}` };
  // A UTF-8 byte order mark (Windows tools write one) is not JSON, but it is not part of the event either.
  const start = value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf ? 3 : 0;
  try {
    return { ok: true, doc: JSON.parse(value.toString('utf8', start)) as unknown };
  } catch (e) {
    return { ok: false, reason: 'invalid_json', message: (e as Error).message };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

const REGISTRY_TYPES: Record<string, PayloadFormat> = { AVRO: 'avro', JSON: 'json-schema', PROTOBUF: 'protobuf' };
const UNKNOWN_ID_TTL_MS = 60_000;

/** Decodes Confluent-framed records through the registry. */
export class FramedDecoder {
  private readonly unknownIds = new Map<number, number>();

  constructor(private readonly registry: RegistryClient | null, private readonly now: () => number = Date.now) {}

  async decode(value: Buffer): Promise<DecodeResult> {
    const id = value.readUInt32BE(1);
    if (!this.registry) return fail('no_registry', `schema-registry frame (schema id ${id}) but no registry is configured`);
    const unknownUntil = this.unknownIds.get(id);
    if (unknownUntil !== undefined && unknownUntil > this.now()) return fail('unknown_schema', `schema id ${id} is not in the registry`);

    let decoded: unknown;
    try {
      decoded = await this.registry.decode(value);
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 404) {
        this.unknownIds.set(id, this.now() + UNKNOWN_ID_TTL_MS);
        return fail('unknown_schema', `schema id ${id} is not in the registry`);
      }
      // No HTTP status, or a server/auth error: the registry, not the record, is at fault.
      if (status === undefined ? isNetworkError(e) : status >= 500 || status === 401 || status === 403 || status === 429) {
        throw new RegistryUnavailableError(`schema registry unavailable (schema id ${id}): ${(e as Error).message}`);
      }
      return fail('schema_decode_error', `schema id ${id}: ${(e as Error).message}`);
    }
    if (valueNestingExceeds(decoded)) return fail('too_deep', `schema id ${id}: payload ${TOO_DEEP}`);
    const doc = toPlain(decoded);
    if (!isPlainObject(doc)) return fail('not_an_object', `schema id ${id} decodes to ${describe(doc)}, not an object`);
    const type = this.registry.cache.getSchema(id)?.type ?? 'AVRO';
    return { ok: true, format: REGISTRY_TYPES[type] ?? 'avro', doc };
  }
}

function isNetworkError(e: unknown): boolean {
  const text = `${(e as Error).name} ${(e as Error).message} ${(e as { code?: string }).code ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|timeout|network/i.test(text);
}

// Decoders return class instances (avsc records, protobuf messages with defaults
// on the prototype); the matcher and the alert builder read plain JSON objects.
// A JSON round trip gives exactly that (protobuf messages through their toJSON).
function toPlain(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as unknown) : v;
}
