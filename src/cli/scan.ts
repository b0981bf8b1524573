// `eql-stream scan`: NDJSON events from a file or stdin → one alert document per
// hit on stdout (the same documents the worker publishes), a summary on stderr.
// Every line takes the worker's path (pipeline/evaluate.ts); invalid lines are
// reported with their line numbers and never stop the scan.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAlert } from '../alerts/alert.js';
import { FramedDecoder } from '../inputs/decode.js';
import { ndjsonLines } from '../inputs/ndjson.js';
import { derivedFields, detectShape } from '../inputs/normalise.js';
import type { ShapeSetting } from '../inputs/types.js';
import { alertView, evaluateRecord, ruleSet, topicRules, type EvaluateOptions } from '../pipeline/evaluate.js';
import { loadRules } from '../rules/loader.js';
import type { Rule } from '../rules/types.js';
import { integerFlag } from './flags.js';
import { OutputClosedError, writeLine } from './output.js';

export const SCAN_USAGE = `usage: eql-stream scan [options] [FILE]
  --rule PATH          rule file or folder (default: the bundled rules); --rules works too
  --input FILE         NDJSON events; "-" or none: stdin (a positional FILE works too)
  --shape SHAPE        auto (default), ecs, winlogbeat or flat
  --topic NAME         act as if the lines came from this Kafka topic: only rules whose index
                       patterns cover it apply, and alert ids are those the worker would give
                       (partition --partition, offset = line number - 1). Default: every rule
                       applies, and the topic in ids and ancestors is the input's file name.
  --partition N        partition for alert ids (default 0)
  --max-line-bytes N   longer lines are reported as oversized (default 1048576)
  --no-prefilter       parse every line (the prefilter is sound; this is for checking that)
Writes one alert document (JSON) per rule hit to stdout, and a summary to stderr.
Exit status: 0 when the scan ran (whatever it found), 2 on bad usage, rules or input.`;

const SHAPES: readonly ShapeSetting[] = ['auto', 'ecs', 'winlogbeat', 'flat'];
const MAX_LISTED_INVALID = 100;

interface InvalidLine {
  readonly line: number;
  readonly reason: string;
  readonly message: string;
}

export async function scanCommand(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parseScanArgs>;
  try {
    opts = parseScanArgs(argv);
  } catch (e) {
    process.stderr.write(`eql-stream scan: ${(e as Error).message}\n${SCAN_USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${SCAN_USAGE}\n`);
    return 0;
  }

  let rules;
  try {
    rules = await loadRules(opts.rule, { derivedFields });
  } catch (e) {
    process.stderr.write(`eql-stream scan: ${(e as Error).message}\n`);
    return 2;
  }
  const fromStdin = opts.input === '-';
  const topic = opts.topic ?? (fromStdin ? 'stdin' : basename(opts.input));
  const selected = opts.topic === undefined ? ruleSet(rules, opts.shape) : topicRules(rules, opts.topic, { topicIndex: [], topicShapes: [], defaultShape: opts.shape });
  if (!selected.set) process.stderr.write(`eql-stream scan: no rule's index patterns cover topic ${topic}: nothing can match\n`);
  const evaluate: EvaluateOptions = { maxMessageBytes: opts.maxLineBytes, prefilter: opts.prefilter, framed: new FramedDecoder(null) };

  const input: AsyncIterable<Buffer> = fromStdin ? process.stdin : createReadStream(opts.input);
  const counts = { events: 0, prefiltered: 0, alerts: 0, otherShape: 0 };
  const byRule = new Map<string, number>();
  const invalid: InvalidLine[] = [];
  let invalidCount = 0;
  const reportInvalid = (line: number, reason: string, message: string) => {
    if (invalidCount++ < MAX_LISTED_INVALID) invalid.push({ line, reason, message });
  };
  const started = process.hrtime.bigint();
  try {
    for await (const { line, value, bytes } of ndjsonLines(input, opts.maxLineBytes)) {
      counts.events++;
      const outcome = value === null
        ? ({ kind: 'invalid', reason: 'oversized', message: `line is ${bytes} bytes, limit ${opts.maxLineBytes}` } as const)
        : await evaluateRecord(value, selected, evaluate);
      if (outcome.kind === 'prefiltered') counts.prefiltered++;
      if (outcome.kind === 'invalid') reportInvalid(line, outcome.reason, outcome.message);
      if (outcome.kind !== 'evaluated') continue;
      if (opts.shape !== 'auto' && detectShape(outcome.doc) !== opts.shape) counts.otherShape++;
      if (outcome.hits.length === 0) continue;
      let alerts: string[];
      try {
        const view = alertView(outcome);
        const now = new Date();
        alerts = outcome.hits.map((rule) => JSON.stringify(buildAlert(rule, view, { topic, partition: opts.partition, offset: String(line - 1) }, now)));
      } catch (e) {
        reportInvalid(line, 'alert_error', (e as Error).message);
        continue;
      }
      for (const [i, alert] of alerts.entries()) {
        await writeLine(process.stdout, alert);
        counts.alerts++;
        const name = (outcome.hits[i] as Rule).rule.name;
        byRule.set(name, (byRule.get(name) ?? 0) + 1);
      }
    }
  } catch (e) {
    // A reader that went away (`scan … | head`) is not an error.
    if (e instanceof OutputClosedError) return 0;
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`eql-stream scan: cannot read ${fromStdin ? 'stdin' : opts.input}: ${code ?? (e as Error).message}\n`);
    return 2;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(summary(counts, byRule, invalid, invalidCount, seconds, opts.shape));
  return 0;
}

function parseScanArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      rule: { type: 'string' },
      rules: { type: 'string' },
      input: { type: 'string' },
      shape: { type: 'string', default: 'auto' },
      topic: { type: 'string' },
      partition: { type: 'string', default: '0' },
      'max-line-bytes': { type: 'string', default: String(1024 * 1024) },
      'no-prefilter': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1 || (positionals.length === 1 && values.input !== undefined)) throw new Error('give one input: --input FILE or FILE');
  if (values.rule !== undefined && values.rules !== undefined) throw new Error('give --rule once');
  const shape = values.shape as ShapeSetting;
  if (!SHAPES.includes(shape)) throw new Error(`--shape must be one of ${SHAPES.join(', ')}, got "${values.shape}"`);
  return {
    help: values.help === true,
    rule: values.rule ?? values.rules,
    input: values.input ?? positionals[0] ?? '-',
    shape,
    topic: values.topic,
    partition: integerFlag('--partition', values.partition as string, 0, 2 ** 31 - 1),
    maxLineBytes: integerFlag('--max-line-bytes', values['max-line-bytes'] as string, 64, 1024 ** 3),
    prefilter: values['no-prefilter'] !== true,
  };
}

function summary(counts: { events: number; prefiltered: number; alerts: number; otherShape: number }, byRule: Map<string, number>, invalid: readonly InvalidLine[], invalidCount: number, seconds: number, shape: ShapeSetting): string {
  const rate = seconds > 0 ? Math.round(counts.events / seconds) : counts.events;
  const out = [
    `scanned ${counts.events} events in ${seconds.toFixed(2)} s (${rate} events/s): ${counts.alerts} alerts, ${invalidCount} invalid lines, ${counts.prefiltered} rejected unparsed by the prefilter`,
  ];
  for (const [name, n] of byRule) out.push(`  ${n} alerts: ${name}`);
  for (const i of invalid) out.push(`  line ${i.line}: ${i.reason}: ${i.message}`);
  if (invalidCount > invalid.length) out.push(`  … and ${invalidCount - invalid.length} more invalid lines`);
  if (counts.otherShape > 0) out.push(`  note: ${counts.otherShape} parsed events do not look like --shape ${shape}; --shape auto detects the shape per event`);
  return `${out.join('\n')}\n`;
}
