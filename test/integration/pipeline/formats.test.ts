// Input encodings through the real broker and registry: Confluent-framed Avro
// gives the same alerts as its JSON twin; compressed batches of every codec decode.
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { registerCodecs } from '../../../src/inputs/codecs.js';
import { createTopic, registryUrl, schemaRegistry, uniqueName } from '../setup/services.js';
import {
  committedTotal, craftedEvents, expectedAlertIds, otrfKeyEvents, produce, readUntil, ready, startWorker, waitFor, type WorkerProcess,
} from './helpers.js';

const { CompressionTypes } = kafkajs;
const running: WorkerProcess[] = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});

const str = { type: 'string' };
const strings = { type: 'array', items: 'string' };
const ECS_FILE_EVENT_AVRO = {
  type: 'record', name: 'EcsFileEvent', namespace: 'eqlstream.test',
  fields: [
    { name: '_id', type: str }, { name: '_index', type: str },
    { name: 'event', type: { type: 'record', name: 'Event', fields: [{ name: 'category', type: strings }, { name: 'type', type: strings }] } },
    { name: 'host', type: { type: 'record', name: 'Host', fields: [{ name: 'name', type: str }] } },
    { name: 'process', type: { type: 'record', name: 'Process', fields: [{ name: 'name', type: str }, { name: 'executable', type: str }] } },
    { name: 'file', type: { type: 'record', name: 'File', fields: [{ name: 'path', type: str }, { name: 'name', type: str }, { name: 'extension', type: ['null', 'string'], default: null }] } },
  ],
};

interface Twin { _id: string; _index: string; event: { category: string[]; type: string[] }; host: { name: string }; process: { name: string; executable: string }; file: { path: string; name: string; extension: string | null } }

/** The crafted ECS events (hits and near-misses) cut to the Avro schema, with an own document id. */
function twins(): { doc: Twin; hit: boolean }[] {
  return craftedEvents().filter((c) => !c.label.startsWith('flat')).map((c, i) => {
    const e = JSON.parse(c.value.toString()) as Twin;
    return {
      hit: c.hit,
      doc: {
        _id: `doc-${i}`, _index: 'logs-endpoint.events.file-default',
        event: { category: e.event.category, type: e.event.type }, host: { name: e.host.name },
        process: { name: e.process.name, executable: e.process.executable },
        file: { path: e.file.path, name: e.file.name, extension: e.file.extension ?? null },
      },
    };
  });
}

const stable = (doc: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => k !== '@timestamp' && !k.endsWith('.ingested') && !k.startsWith('kibana.alert.ancestors')));

describe('input formats', () => {
  it('schema-registry-framed Avro events produce the same alerts as their JSON twins', async () => {
    const jsonTopic = await createTopic(uniqueName('logs-endpoint.events.json'), 1);
    const avroTopic = await createTopic(uniqueName('logs-endpoint.events.avro'), 1);
    const alerts = uniqueName('alerts');
    const registry = schemaRegistry();
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(ECS_FILE_EVENT_AVRO) }, { subject: uniqueName('ecs-file-event') });
    const pairs = twins();
    await produce(jsonTopic, pairs.map((p) => JSON.stringify(p.doc)));
    await produce(avroTopic, await Promise.all(pairs.map((p) => registry.encode(id, p.doc))));
    const hits = pairs.filter((p) => p.hit).length;
    expect(hits).toBeGreaterThan(0);

    const group = uniqueName('group');
    const w = startWorker(['--topics', `${jsonTopic},${avroTopic}`, '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq'), '--registry', registryUrl()]);
    running.push(w);
    await ready(w);
    // Same own ids → the twins' alerts share ids, so 2 records per id.
    const records = await readUntil(alerts, (r) => r.length >= 2 * hits, { settleMs: 1500 });
    await waitFor('both topics committed', async () => (await committedTotal(group, jsonTopic)) + (await committedTotal(group, avroTopic)) === 2 * pairs.length);
    expect(records).toHaveLength(2 * hits);
    const byId = new Map<string, Record<string, unknown>[]>();
    for (const r of records) byId.set(r.key ?? '', [...(byId.get(r.key ?? '') ?? []), JSON.parse(r.value!.toString()) as Record<string, unknown>]);
    expect(byId.size).toBe(hits);
    for (const [, [a, b]] of byId) expect(stable(b!)).toEqual(stable(a!));
  });

  it('decodes batches compressed with gzip, snappy, lz4 and zstd', async () => {
    registerCodecs();
    const codecs = { gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD };
    const corpus = [...otrfKeyEvents(), ...craftedEvents()];
    const topics: string[] = [];
    const expected: string[] = [];
    for (const [name, compression] of Object.entries(codecs)) {
      const topic = await createTopic(uniqueName(`logs-windows.${name}`), 1);
      const placed = await produce(topic, corpus.map((c) => c.value), 1, { compression, chunk: corpus.length });
      topics.push(topic);
      expected.push(...expectedAlertIds(topic, corpus, placed));
    }
    const alerts = uniqueName('alerts');
    const group = uniqueName('group');
    const w = startWorker(['--topics', topics.join(','), '--group', group, '--alerts-topic', alerts, '--dead-letter-topic', uniqueName('dlq')]);
    running.push(w);
    await ready(w);
    const records = await readUntil(alerts, (r) => r.length >= expected.length, { settleMs: 1000 });
    expect(records.map((r) => r.key).sort()).toEqual(expected.sort());
    for (const t of topics) expect(await committedTotal(group, t)).toBe(corpus.length);
  });
});
