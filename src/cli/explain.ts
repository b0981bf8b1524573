// `eql-stream explain`: what the compiler made of each rule — the raw-bytes
// prefilter literals, the evaluation order with costs, the ECS fields read, and
// which fields each input shape must carry for the rule to see them.
import { parseArgs } from 'node:util';
import { compileQuerySet } from '../compile/compiler.js';
import { formatPlan } from '../compile/plan.js';
import { derivedFields } from '../inputs/normalise.js';
import { sourceFields } from '../inputs/sources.js';
import { loadRules } from '../rules/loader.js';

export const EXPLAIN_USAGE = `usage: eql-stream explain [RULE]
  RULE   a detection-rules TOML file or a folder of them (default: the bundled rules)`;

export async function explainCommand(argv: string[]): Promise<number> {
  let positionals: string[];
  let help: boolean | undefined;
  try {
    ({ positionals, values: { help } } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean' } } }));
    if (positionals.length > 1) throw new Error('give at most one rule file or folder');
  } catch (e) {
    process.stderr.write(`eql-stream explain: ${(e as Error).message}\n${EXPLAIN_USAGE}\n`);
    return 2;
  }
  if (help) {
    process.stdout.write(`${EXPLAIN_USAGE}\n`);
    return 0;
  }
  let rules;
  try {
    rules = await loadRules(positionals[0], { derivedFields });
  } catch (e) {
    process.stderr.write(`eql-stream explain: ${(e as Error).message}\n`);
    return 2;
  }

  const out: string[] = [];
  for (const r of rules) {
    const def = r.rule;
    out.push(
      `rule ${def.rule_id} v${def.version}: ${def.name}`,
      `file: ${r.file}`,
      `index patterns (topics it applies to): ${def.index.join(', ')}`,
      `category: ${r.compiled.category ?? 'any'}`,
      formatPlan(r.compiled),
      'fields each input shape must carry:',
    );
    const sources = sourceFields(r.compiled.fields);
    out.push(`  ecs:        ${sources.ecs.join(', ')}`);
    out.push(`  winlogbeat: ${sources.winlogbeat.join(', ')}`);
    out.push(`  flat:       ${sources.flat.join(', ')}`);
    out.push('');
  }
  if (rules.length > 1) {
    const set = compileQuerySet(rules.map((r) => r.compiled));
    const literals = set.prefilter.literals;
    out.push(`all ${rules.length} rules together: prefilter literals ${literals === null ? 'none (every message is parsed)' : literals.map((l) => JSON.stringify(l)).join(', ')}`);
    out.push(`fields resolved once per event: ${set.fields.join(', ')}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
