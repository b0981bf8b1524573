// Our Winlogbeat-raw normalisation against Elastic's own before/after pipeline files.
import { describe, expect, it } from 'vitest';
import {
  NOT_MAPPED, agreementMarkdown, agreementTable, compareGoldenPair, eventId, loadGoldenPairs,
} from './golden-pairs.js';

const pairs = loadGoldenPairs();
const results = pairs.map(compareGoldenPair);

describe('golden pairs (elastic/beats collection→ingest, elastic/integrations sysmon pipeline tests)', () => {
  it('loads every saved pair', () => {
    // 32 + 3 + 2 + 5 + 1 + 1 + 1 + 1 + 1 Sysmon, 18 + 1 Security (beats); 209 + 1 (integrations).
    expect(pairs).toHaveLength(276);
    for (const p of pairs) expect(eventId(p.input)).toBe(eventId(p.expected));
  });

  it('detects every input as winlogbeat raw and every expected output as ECS', async () => {
    const { detectShape } = await import('../../../src/inputs/normalise.js');
    for (const p of pairs) {
      expect(detectShape(p.input)).toBe('winlogbeat');
      expect(detectShape(p.expected)).toBe('ecs');
    }
  });

  it('agrees with the expected output on every field we map, except documented pipeline-version differences', () => {
    const table = agreementTable(results);
    console.log(`Golden agreement per event id:\n${agreementMarkdown(table)}`);
    const unexplained = results.flatMap((r) =>
      r.disagreements.map((d) => `${r.pair.source}#${r.pair.index} (${eventId(r.pair.input)}) ${d.field}: ours ${JSON.stringify(d.ours)} expected ${JSON.stringify(d.expected)}`),
    );
    expect(unexplained).toEqual([]);
    // The comparison is not vacuous: thousands of mapped fields were compared.
    expect(table.reduce((n, r) => n + r.agreeing, 0)).toBeGreaterThan(3000);
  });

  it('leaves out only the documented fields', () => {
    const missing = new Set(results.flatMap((r) => r.notMapped));
    const undocumented = [...missing].filter((f) => NOT_MAPPED[f] === undefined);
    expect(undocumented).toEqual([]);
  });

  it('maps the fields the seed rule reads for file events', () => {
    const fileEvents = results.filter((r) => ['23', '26'].includes(eventId(r.pair.input)));
    expect(fileEvents.length).toBe(10);
    for (const r of fileEvents) {
      for (const f of ['event.category', 'event.type', 'file.path', 'file.name', 'process.name']) {
        expect(r.mapped).toContain(f);
      }
      const name = String(r.pair.expected['file'] && (r.pair.expected['file'] as Record<string, unknown>)['name']);
      if (name.includes('.')) expect(r.mapped).toContain('file.extension');
    }
  });
});
