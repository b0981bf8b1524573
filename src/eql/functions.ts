// The EQL function library as Elasticsearch resolves it: names are matched
// case-insensitively (EqlFunctionRegistry lower-cases them) and a `~` suffix is
// accepted only by the functions that have a case-insensitive variant.

import type { FunctionName } from './ast.js';

export interface FunctionSignature {
  readonly name: FunctionName;
  readonly minArgs: number;
  /** Infinity for variadic functions. */
  readonly maxArgs: number;
  /** Accepts the `~` suffix (case-insensitive variant). */
  readonly caseAware: boolean;
}

const SIGNATURES: readonly FunctionSignature[] = [
  { name: 'add', minArgs: 2, maxArgs: 2, caseAware: false },
  { name: 'between', minArgs: 3, maxArgs: 4, caseAware: true },
  { name: 'cidrMatch', minArgs: 2, maxArgs: Infinity, caseAware: false },
  { name: 'concat', minArgs: 1, maxArgs: Infinity, caseAware: false },
  { name: 'divide', minArgs: 2, maxArgs: 2, caseAware: false },
  { name: 'endsWith', minArgs: 2, maxArgs: 2, caseAware: true },
  { name: 'indexOf', minArgs: 2, maxArgs: 3, caseAware: true },
  { name: 'length', minArgs: 1, maxArgs: 1, caseAware: false },
  { name: 'modulo', minArgs: 2, maxArgs: 2, caseAware: false },
  { name: 'multiply', minArgs: 2, maxArgs: 2, caseAware: false },
  { name: 'number', minArgs: 1, maxArgs: 2, caseAware: false },
  { name: 'startsWith', minArgs: 2, maxArgs: 2, caseAware: true },
  { name: 'string', minArgs: 1, maxArgs: 1, caseAware: false },
  { name: 'stringContains', minArgs: 2, maxArgs: 2, caseAware: true },
  { name: 'substring', minArgs: 2, maxArgs: 3, caseAware: false },
  { name: 'subtract', minArgs: 2, maxArgs: 2, caseAware: false },
];

const BY_LOWER_NAME = new Map(SIGNATURES.map((s) => [s.name.toLowerCase(), s]));

export const FUNCTION_NAMES: readonly FunctionName[] = SIGNATURES.map((s) => s.name);
export const CASE_AWARE_FUNCTIONS: readonly FunctionName[] = SIGNATURES.filter((s) => s.caseAware).map((s) => s.name);

/** The signature for a function name as written (any letter case, without `~`), or undefined. */
export function lookupFunction(name: string): FunctionSignature | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

export function arityText(sig: FunctionSignature): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (sig.maxArgs === Infinity) return `at least ${plural(sig.minArgs)}`;
  if (sig.minArgs === sig.maxArgs) return `exactly ${plural(sig.minArgs)}`;
  return `${sig.minArgs} to ${plural(sig.maxArgs)}`;
}
