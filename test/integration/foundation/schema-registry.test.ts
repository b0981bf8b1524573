// Acceptance test of the local schema registry (Apicurio's Confluent-compatible
// API): @kafkajs/confluent-schema-registry registers schemas, and messages it
// encodes travel through the real broker and decode back. Avro is what the
// pipeline reads today; JSON Schema and Protobuf are checked because the worker
// may meet them.
import { describe, expect, it } from 'vitest';
import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { createTopic, kafkaClient, registryUrl, schemaRegistry, uniqueName } from '../setup/services.js';

const CONFLUENT_MAGIC_BYTE = 0;

type SchemaToRegister = Parameters<SchemaRegistry['register']>[0];

/** A Windows process event, trimmed to a few ECS fields. */
const event = {
  '@timestamp': '2021-03-02T04:15:33.120Z',
  host: { name: 'EXCH01' },
  process: { name: 'UMWorkerProcess.exe', pid: 4242, parent: { name: 'services.exe' } },
  file: { path: 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx', extension: 'aspx' },
};

const avroSchema = {
  type: 'record',
  name: 'ProcessFileEvent',
  namespace: 'eqlstream.test',
  fields: [
    { name: 'at_timestamp', type: 'string' },
    { name: 'host', type: { type: 'record', name: 'Host', fields: [{ name: 'name', type: 'string' }] } },
    {
      name: 'process',
      type: {
        type: 'record',
        name: 'Process',
        fields: [
          { name: 'name', type: 'string' },
          { name: 'pid', type: 'long' },
          { name: 'parent', type: { type: 'record', name: 'Parent', fields: [{ name: 'name', type: 'string' }] } },
        ],
      },
    },
    {
      name: 'file',
      type: {
        type: 'record',
        name: 'File',
        fields: [
          { name: 'path', type: 'string' },
          { name: 'extension', type: 'string' },
        ],
      },
    },
  ],
};
// Avro names cannot start with '@'; the Avro variant carries it as at_timestamp.
const { '@timestamp': timestamp, ...rest } = event;
const avroEvent = { at_timestamp: timestamp, ...rest };

const jsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['@timestamp', 'process'],
  properties: {
    '@timestamp': { type: 'string' },
    host: { type: 'object', properties: { name: { type: 'string' } } },
    process: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, pid: { type: 'integer' } },
    },
    file: { type: 'object' },
  },
};

const protoSchema = `syntax = "proto3";
package eqlstream.test;

message Process {
  string name = 1;
  int32 pid = 2;
}

message ProcessEvent {
  string timestamp = 1;
  string host_name = 2;
  Process process = 3;
  string file_path = 4;
}
`;
// protobufjs (inside the client) parses .proto files with camelCase field names:
// payloads go in, and decoded objects come out, as hostName/filePath.
const protoEvent = {
  timestamp: event['@timestamp'],
  hostName: event.host.name,
  process: { name: event.process.name, pid: event.process.pid },
  filePath: event.file.path,
};

/** Produces ENCODED to a fresh topic and returns the bytes a consumer reads back. */
async function roundTripThroughKafka(kafka: Kafka, encoded: Buffer): Promise<Buffer> {
  const topic = await createTopic(uniqueName('foundation-registry'), 1);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ value: encoded }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: uniqueName('foundation-registry'), maxWaitTimeInMs: 250 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<Buffer>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.value) resolve(message.value);
            else reject(new Error('message without value'));
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

async function registeredSubjects(): Promise<string[]> {
  const res = await fetch(`${registryUrl()}/subjects`);
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
}

async function registerEncodeDecode(
  registry: SchemaRegistry,
  schema: SchemaToRegister,
  payload: object,
): Promise<{ id: number; subject: string; wire: Buffer; decoded: unknown }> {
  const subject = uniqueName(`foundation-${schema.type.toLowerCase()}-value`);
  const { id } = await registry.register(schema, { subject });
  expect(await registeredSubjects()).toContain(subject);
  expect(await registry.getLatestSchemaId(subject)).toBe(id);

  const encoded = await registry.encode(id, payload);
  const wire = await roundTripThroughKafka(kafkaClient(), encoded);
  const decoded = await registry.decode(wire);
  return { id, subject, wire, decoded };
}

function wireSchemaId(wire: Buffer): number {
  expect(wire.readUInt8(0)).toBe(CONFLUENT_MAGIC_BYTE);
  return wire.readInt32BE(1);
}

describe('local schema registry (Apicurio, Confluent-compatible API)', () => {
  it('registers an Avro schema, encodes, and decodes a message that went through Kafka', async () => {
    const registry = schemaRegistry();
    const schema: SchemaToRegister = { type: SchemaType.AVRO, schema: JSON.stringify(avroSchema) };
    const { id, wire, decoded } = await registerEncodeDecode(registry, schema, avroEvent);

    expect(wireSchemaId(wire)).toBe(id);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(avroEvent);
    // Registering the same schema again yields the same id.
    expect((await registry.register(schema, { subject: uniqueName('foundation-avro-again') })).id).toBe(id);
  });

  it('rejects a payload that does not fit the Avro schema', async () => {
    const registry = schemaRegistry();
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(avroSchema) },
      { subject: uniqueName('foundation-avro-invalid') },
    );
    await expect(registry.encode(id, { ...avroEvent, process: { name: 7 } })).rejects.toThrow();
  });

  it('registers a JSON Schema, encodes, and decodes', async () => {
    const registry = schemaRegistry();
    const schema: SchemaToRegister = { type: SchemaType.JSON, schema: JSON.stringify(jsonSchema) };
    const { id, wire, decoded } = await registerEncodeDecode(registry, schema, event);

    expect(wireSchemaId(wire)).toBe(id);
    expect(decoded).toEqual(event);
    await expect(registry.encode(id, { host: { name: 'no-timestamp' } })).rejects.toThrow();
  });

  it('registers a Protobuf schema, encodes, and decodes', async () => {
    // The client encodes with the first message of the file unless told which one.
    const registry = schemaRegistry({ [SchemaType.PROTOBUF]: { messageName: 'ProcessEvent' } });
    const schema: SchemaToRegister = { type: SchemaType.PROTOBUF, schema: protoSchema };
    const { id, wire, decoded } = await registerEncodeDecode(registry, schema, protoEvent);

    expect(wireSchemaId(wire)).toBe(id);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(protoEvent);
  });
});
