// The compiled plan as text, for `explain`.
import type { CompiledQuery, PlanStep } from './types.js';

function quote(s: string): string {
  return JSON.stringify(s);
}

function formatStep(step: PlanStep, depth: number, out: string[]): void {
  out.push(`${'  '.repeat(depth)}${step.description}  [cost ${step.cost}]`);
  for (const c of step.children ?? []) formatStep(c, depth + 1, out);
}

/** The compiled plan as text: prefilter literals, evaluation order (cheapest first), fields. */
export function formatPlan(q: CompiledQuery): string {
  const out = [
    `prefilter literals: ${q.prefilter.literals === null ? 'none (every message is parsed)' : q.prefilter.literals.map(quote).join(', ')}`,
    'evaluation order:',
  ];
  for (const s of q.plan) formatStep(s, 1, out);
  out.push(`fields: ${q.fields.join(', ')}`);
  return out.join('\n');
}
