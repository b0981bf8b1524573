// A detection rule as loaded from the upstream detection-rules TOML format.
import type { EventQuery } from '../eql/ast.js';
import type { CompiledQuery } from '../compile/types.js';

export interface ThreatTechnique {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
  readonly subtechnique?: readonly { readonly id: string; readonly name: string; readonly reference: string }[];
}

export interface Threat {
  readonly framework: string;
  readonly tactic: { readonly id: string; readonly name: string; readonly reference: string };
  readonly technique?: readonly ThreatTechnique[];
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface RuleMetadata {
  readonly creation_date?: string;
  readonly updated_date?: string;
  readonly maturity?: string;
  readonly min_stack_version?: string;
  readonly [key: string]: unknown;
}

export interface RuleDefinition {
  readonly rule_id: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly type: 'eql';
  readonly language: 'eql';
  readonly query: string;
  /** Index patterns (`winlogbeat-*`); the worker maps them to topics with picomatch. */
  readonly index: readonly string[];
  readonly severity: Severity;
  readonly risk_score: number;
  readonly tags: readonly string[];
  readonly threat: readonly Threat[];
  readonly timestamp_override?: string;
  /** Kibana defaults when absent: from `now-6m`, interval `5m`, max_signals 100. */
  readonly from: string;
  readonly interval: string;
  readonly max_signals: number;
  readonly false_positives: readonly string[];
  readonly references: readonly string[];
  readonly note?: string;
  readonly author: readonly string[];
  readonly license?: string;
}

export interface Rule {
  readonly metadata: RuleMetadata;
  readonly rule: RuleDefinition;
  readonly query: EventQuery;
  readonly compiled: CompiledQuery;
  /** Where it was loaded from, and the sha256 of that file (exported as a metric label). */
  readonly file: string;
  readonly sha256: string;
  /** interval in milliseconds (the max_signals window). */
  readonly intervalMs: number;
}
