// What the compiler hands to the rest of the product. The pipeline, `scan` and
// the benchmark only ever see these types, never the AST.
import type { EventQuery } from '../eql/ast.js';

export interface CompileOptions {
  /**
   * Elasticsearch keyword fields ignore values longer than this (`ignore_above`),
   * so such values can never match there. Values longer than this are treated
   * as absent. 0 disables the limit. Default 1024 (see docs/semantics.md).
   */
  readonly ignoreAbove?: number;
  /**
   * Fields whose values may be produced by normalisation rather than copied
   * verbatim from the raw message (e.g. `event.category` derived from a Sysmon
   * event id). Literals from predicates on these fields must never be used by
   * the raw-bytes prefilter. Supplied by `inputs/` (derivedFields).
   */
  readonly derivedFields?: ReadonlySet<string>;
}

/** Decides from the raw message bytes whether the message could possibly match. */
export interface RawPrefilter {
  /**
   * The literals (ASCII, compared case-insensitively) of which at least one must
   * occur in the bytes of any matching message; null when the rules admit no
   * such set (then every message passes).
   */
  readonly literals: readonly string[] | null;
  /** False only when the message can never match. Sound: never false for a match. */
  mayMatch(raw: Uint8Array): boolean;
}

/** One step of the evaluation order, for `explain`. */
export interface PlanStep {
  readonly description: string;
  readonly cost: number;
  readonly children?: readonly PlanStep[];
}

export interface CompiledQuery {
  /** `file`, `process`…, or null for `any where`. */
  readonly category: string | null;
  /** Every ECS field the query reads, in evaluation order (plus event.category if a category is set). */
  readonly fields: readonly string[];
  /** Exact Elasticsearch EQL semantics on a parsed, ECS-normalised event (nested, dotted or mixed keys). */
  matches(event: unknown): boolean;
  readonly prefilter: RawPrefilter;
  readonly plan: readonly PlanStep[];
}

/**
 * Many queries evaluated together: every field any of them reads is resolved
 * once per event, and one prefilter covers them all.
 */
export interface CompiledQuerySet {
  readonly queries: readonly CompiledQuery[];
  readonly fields: readonly string[];
  readonly prefilter: RawPrefilter;
  /** Indices (into `queries`) of the queries the event matches, ascending. */
  matchAll(event: unknown): number[];
}

export type { EventQuery };
