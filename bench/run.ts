// `npm run bench`: events per second on one core for JSON.parse alone, parse +
// match, and prefilter + match (prefilter, then parse + match only what
// passes), on the public corpus replicated to at least 200k events with
// realistic variation. Writes docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { compileQuery } from '../src/compile/compiler.js';
import type { CompiledQuery } from '../src/compile/types.js';
import { parseQuery } from '../src/eql/parser.js';
import { derivedFields, detectShape, normalise } from '../src/inputs/normalise.js';
import { loadPublicCorpus, PUBLIC_DATA_DIR } from './corpus.js';

/** One line of a benchmark table (the normalisation hook returns these too). */
export interface BenchRow {
  readonly label: string;
  readonly eventsPerSecond: number;
  readonly note?: string;
}

const TARGET_EVENTS = 200_000;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const SEED_RULE = new URL('../src/rules/bundled/microsoft_exchange_server_um_writing_suspicious_files.toml', import.meta.url);

function seedQuery(): string {
  const toml = readFileSync(SEED_RULE, 'utf8');
  const m = /^query = '''\n([\s\S]*?)'''/m.exec(toml);
  if (m === null) throw new Error('no query in the bundled seed rule');
  return m[1]!;
}

/** Copy `i` of a message: other hosts, days, record and process ids, user folders. */
function vary(text: string, i: number): string {
  if (i === 0) return text;
  const day = String(1 + (i % 28)).padStart(2, '0');
  return text
    .replace(/MXS01/g, `MXS${String(i).padStart(2, '0')}`)
    .replace(/azsentinel\.local/g, `site${i % 7}.corp.example`)
    .replace(/2021-03-1[0-9]/g, `2021-04-${day}`)
    .replace(/"(EventRecordID|RecordNumber|record_id|ProcessId|ProcessID|NewProcessId)":(\s*"?)(\d+)/g, (_m, k: string, q: string, n: string) => `"${k}":${q}${Number(n) + i * 7919}`)
    .replace(/\\\\Users\\\\([A-Za-z0-9._-]+)/g, (_m, u: string) => `\\\\Users\\\\${u}${i % 13}`);
}

/** Attack events the rule must find: the MSTIC webshell paths written by UMWorkerProcess.exe, as ECS. */
function attackEvents(): Buffer[] {
  const feed = JSON.parse(
    readFileSync(`${PUBLIC_DATA_DIR}/azure-sentinel/Sample Data/Feeds/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.json`, 'utf8'),
  ) as { Indicator: string; IndicatorType: string }[];
  return feed
    .filter((r) => r.IndicatorType !== 'sha256')
    .map((r, k) => {
      const name = r.Indicator.slice(r.Indicator.lastIndexOf('\\') + 1);
      return Buffer.from(
        JSON.stringify({
          '@timestamp': `2021-03-02T10:${String(k % 60).padStart(2, '0')}:00.000Z`,
          event: { category: ['file'], type: ['creation'], kind: 'event' },
          host: { name: `EXCH${k % 5}` },
          process: { name: k % 2 === 0 ? 'UMWorkerProcess.exe' : 'umservice.exe', pid: 4000 + k },
          file: { path: r.Indicator, name, extension: name.slice(name.lastIndexOf('.') + 1) },
        }),
      );
    });
}

/** Replicates the base messages with variation to at least TARGET_EVENTS, with an attack event every 2,000 messages. */
function replicate(base: readonly Buffer[], attacks: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  const texts = base.map((b) => b.toString('utf8'));
  for (let copy = 0; out.length < TARGET_EVENTS; copy++) {
    for (const t of texts) {
      out.push(Buffer.from(vary(t, copy)));
      if (out.length % 2000 === 1999) out.push(attacks[Math.floor(out.length / 2000) % attacks.length]!);
    }
  }
  return out;
}

type Pass = (msgs: readonly Buffer[]) => { hits: number; parsed: number };

/** Runs the passes in interleaved rounds (machine noise hits them alike) and keeps each one's best round. */
function measure(messages: readonly Buffer[], passes: readonly [string, Pass][]): BenchRow[] {
  const best = passes.map(() => Infinity);
  const results = passes.map(() => ({ hits: 0, parsed: 0 }));
  for (let r = 0; r < RUNS; r++) {
    passes.forEach(([, pass], i) => {
      const t0 = process.hrtime.bigint();
      results[i] = pass(messages);
      best[i] = Math.min(best[i]!, Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  const withHits = results.slice(1).map((r) => r.hits);
  if (new Set(withHits).size > 1) throw new Error(`the passes disagree on matches: ${withHits.join(' vs ')}`);
  return passes.map(([label], i) => {
    const { hits, parsed } = results[i]!;
    const note = i === 0 ? '' : `${hits} matches; ${parsed === messages.length ? 'every message parsed' : `${parsed} (${((100 * parsed) / messages.length).toFixed(2)}%) passed the prefilter and were parsed`}`;
    return { label, eventsPerSecond: (messages.length / best[i]!) * 1000, note };
  });
}

/** JSON.parse alone, parse + match, prefilter + match, for a way of turning a parsed message into the matcher's event. */
function matchPasses(rule: CompiledQuery, toEvent: (doc: Record<string, unknown>) => unknown, matchLabel: string): [string, Pass][] {
  const parse = (m: Buffer): Record<string, unknown> => JSON.parse(m.toString()) as Record<string, unknown>;
  return [
    ['JSON.parse alone', (msgs) => {
      let n = 0;
      for (const m of msgs) if (parse(m) !== null) n++;
      return { hits: 0, parsed: n };
    }],
    [matchLabel, (msgs) => {
      let hits = 0;
      for (const m of msgs) if (rule.matches(toEvent(parse(m)))) hits++;
      return { hits, parsed: msgs.length };
    }],
    [`prefilter, then ${matchLabel}`, (msgs) => {
      let hits = 0;
      let parsed = 0;
      for (const m of msgs) {
        if (!rule.prefilter.mayMatch(m)) continue;
        parsed++;
        if (rule.matches(toEvent(parse(m)))) hits++;
      }
      return { hits, parsed };
    }],
  ];
}

function table(title: string, rows: readonly BenchRow[], corpusNote: string): string {
  const base = rows[0]!.eventsPerSecond;
  const lines = [`### ${title}`, '', corpusNote, '', '| what | events/s | vs JSON.parse | notes |', '| --- | ---: | ---: | --- |'];
  for (const r of rows) lines.push(`| ${r.label} | ${Math.round(r.eventsPerSecond).toLocaleString('en-US')} | ${(r.eventsPerSecond / base).toFixed(2)}× | ${r.note ?? ''} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rule = compileQuery(parseQuery(seedQuery()), { derivedFields });
  const files = loadPublicCorpus();
  const base = files.flatMap((f) => f.messages);
  const attacks = attackEvents();
  const raw = replicate(base, attacks);
  const bytes = raw.reduce((s, b) => s + b.length, 0);
  console.error(`corpus: ${files.length} files, ${base.length} events, replicated to ${raw.length} (${(bytes / 1e6).toFixed(0)} MB); ${RUNS} runs each`);

  // The matcher's own input: the events as ECS documents, as an ECS producer (Winlogbeat with its ingest
  // pipeline, Elastic Defend) sends them. Raw shapes are normalised once, here, outside the timing.
  const toEcs = (doc: Record<string, unknown>): unknown => {
    const shape = detectShape(doc);
    return shape === 'ecs' ? doc : normalise(doc, shape).ecs;
  };
  const ecs = raw.map((b) => Buffer.from(JSON.stringify(toEcs(JSON.parse(b.toString()) as Record<string, unknown>))));
  const ecsRows = measure(ecs, matchPasses(rule, (doc) => doc, 'parse + match'));

  // The messages as published (mostly raw Windows event JSON): normalisation runs after parsing.
  const needed = new Set(rule.fields);
  const lazyEcs = (doc: Record<string, unknown>): unknown => {
    const shape = detectShape(doc);
    return shape === 'ecs' ? doc : normalise(doc, shape, needed).ecs;
  };
  const rawRows = measure(raw, matchPasses(rule, lazyEcs, 'parse + normalise + match'));

  const avg = (msgs: readonly Buffer[]): string => (msgs.reduce((s, b) => s + b.length, 0) / msgs.length).toFixed(0);
  const sections = [
    table('ECS documents (the acceptance measurement)', ecsRows, `${ecs.length.toLocaleString('en-US')} messages, ${avg(ecs)} bytes on average.`),
    table('Messages as published (mostly raw Windows event JSON, normalised after parsing)', rawRows, `${raw.length.toLocaleString('en-US')} messages, ${avg(raw)} bytes on average.`),
  ];

  // Hook for the inputs area: bench/normalise.ts exports benchNormalise(corpus) with its own rows.
  const hook = new URL('./normalise.ts', import.meta.url);
  if (existsSync(hook)) {
    const mod = (await import(hook.href)) as { benchNormalise?: (corpus: Buffer[]) => Promise<{ name: string; eventsPerSec: number }[]> };
    if (mod.benchNormalise !== undefined) {
      const rows = (await mod.benchNormalise(raw)).map((r) => ({ label: r.name, eventsPerSecond: r.eventsPerSec }));
      sections.push(table('Normalisation (rows from bench/normalise.ts, its own rounds)', rows, 'The messages as published.'));
    }
  }

  const cpu = cpus()[0];
  const doc = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (bench/run.ts); numbers from one run, one core (single-threaded Node), best of ' + RUNS + ' interleaved rounds per row.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu?.model ?? 'unknown CPU'} (${cpus().length} cores, shared with other work), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`,
    `- rule: the seed rule (Microsoft Exchange Server UM Writing Suspicious Files); prefilter literals: ${rule.prefilter.literals?.map((l) => `\`${l}\``).join(', ') ?? 'none'}`,
    `- corpus: every JSON/NDJSON file in ../shared/data/public (${base.length.toLocaleString('en-US')} events; the OTRF ProxyLogon capture is 10,487 of them), replicated with variation (host names, dates, record and process ids, user folders) to ${raw.length.toLocaleString('en-US')} messages held as Buffers, with ${attacks.length} MSTIC webshell paths as UMWorkerProcess.exe/umservice.exe file creations sprinkled in (about 1 in 2,000).`,
    '- JSON.parse alone is `JSON.parse(buf.toString())`; parse + match adds the compiled matcher (and, for raw messages, normalisation of the fields the rule reads); prefilter + match runs the raw-bytes prefilter and parses and matches only what passes. The passes run in interleaved rounds and must find the same matches (checked).',
    '- targets: prefilter + match ≥ 5× JSON.parse alone; parse + match within 15% of JSON.parse alone.',
    verdict(ecsRows, rawRows),
    '- reading: the prefilter lets the stage skip parsing for more than 99% of messages. On raw messages, the gap between parse + normalise + match and JSON.parse is normalisation: its own table below shows the same ratio without the matcher. Because the machine is shared, absolute rates drift between runs; the ratios come from interleaved rounds of the same run.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), doc);
  console.log(sections.join('\n\n'));
}

/** The targets, checked against this run's ratios (rows: JSON.parse, parse + match, prefilter + match). */
function verdict(ecsRows: readonly BenchRow[], rawRows: readonly BenchRow[]): string {
  const ratio = (rows: readonly BenchRow[], i: number) => (rows[i]?.eventsPerSecond ?? 0) / (rows[0]?.eventsPerSecond ?? 1);
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const parseMatch = ratio(ecsRows, 1);
  const prefiltered = ratio(ecsRows, 2);
  return `- this run: on ECS documents parse + match runs at ${parseMatch.toFixed(2)}× JSON.parse (target ≥ 0.85×: ${met(parseMatch >= 0.85)}) and prefilter + match at ${prefiltered.toFixed(2)}× (target ≥ 5×: ${met(prefiltered >= 5)}); on the messages as published, prefilter + parse + normalise + match runs at ${ratio(rawRows, 2).toFixed(2)}× (${met(ratio(rawRows, 2) >= 5)} for the same 5× target).`;
}

await main();
