// One record's path from bytes to rule hits: size limit → decode → prefilter on
// the raw bytes → parse → normalise → match. Shared by `run` and `scan`.
import { compileQuerySet } from '../compile/compiler.js';
import type { CompiledQuerySet } from '../compile/types.js';
import {
  checkJsonEnvelope, checkSize, isConfluentFrame, parseJsonObject,
  type DecodeFailureReason, type DecodeResult, type FramedDecoder, type PayloadFormat,
} from '../inputs/decode.js';
import { normalise } from '../inputs/normalise.js';
import type { InputShape, ShapeSetting } from '../inputs/types.js';
import type { Config } from '../ops/config.js';
import type { Rule } from '../rules/types.js';
import { rulesForTopic, valueForTopic } from './topics.js';

/** The rules that apply to one topic, matched together. */
export interface TopicRules {
  readonly rules: readonly Rule[];
  /** null when no rule covers the topic: its records are read and skipped. */
  readonly set: CompiledQuerySet | null;
  /** The fields the set reads: normalisation derives only these for matching. */
  readonly needed: ReadonlySet<string>;
  readonly shape: ShapeSetting;
}

export type RecordOutcome =
  /** No rule covers the record's topic (scan --topic only: the worker refuses such topics at start). */
  | { readonly kind: 'no_rules' }
  | { readonly kind: 'prefiltered' }
  | {
      readonly kind: 'evaluated';
      readonly format: PayloadFormat;
      readonly shape: InputShape;
      /** The decoded document, before normalisation. */
      readonly doc: Record<string, unknown>;
      /** The ECS view the rules were matched on (only the fields they read are derived). */
      readonly event: Record<string, unknown>;
      readonly hits: readonly Rule[];
    }
  | { readonly kind: 'invalid'; readonly reason: DecodeFailureReason | 'normalise_error' | 'match_error'; readonly message: string };

export interface EvaluateOptions {
  readonly maxMessageBytes: number;
  readonly prefilter: boolean;
  readonly framed: FramedDecoder;
}

/** The rules whose index patterns cover `topic`, with the topic's configured input shape. */
export function topicRules(rules: readonly Rule[], topic: string, settings: TopicSettings): TopicRules {
  const applicable = rulesForTopic(rules, topic, settings.topicIndex).map((i) => rules[i] as Rule);
  return ruleSet(applicable, valueForTopic(topic, settings.topicShapes, settings.defaultShape));
}

/** The settings that decide, per topic, which rules apply and what shape its records have. */
export type TopicSettings = Pick<Config, 'topicIndex' | 'topicShapes' | 'defaultShape'>;

/** `rules` matched together on records of one input shape (`scan` applies every rule it loads). */
export function ruleSet(rules: readonly Rule[], shape: ShapeSetting): TopicRules {
  const set = rules.length ? compileQuerySet(rules.map((r) => r.compiled)) : null;
  return { rules, set, needed: new Set(set?.fields ?? []), shape };
}

/** Never throws for bad input; throws only RegistryUnavailableError (retry the record). */
export async function evaluateRecord(value: Buffer | null, t: TopicRules, opts: EvaluateOptions): Promise<RecordOutcome> {
  if (!t.set) return { kind: 'no_rules' };
  const sizeProblem = checkSize(value, opts.maxMessageBytes);
  if (sizeProblem) return invalid(sizeProblem);
  const bytes = value as Buffer;

  let decoded: DecodeResult;
  if (isConfluentFrame(bytes)) {
    decoded = await opts.framed.decode(bytes);
  } else {
    const envelope = checkJsonEnvelope(bytes);
    if (envelope) return invalid(envelope);
    if (opts.prefilter && !t.set.prefilter.mayMatch(bytes)) return { kind: 'prefiltered' };
    decoded = parseJsonObject(bytes);
  }
  if (!decoded.ok) return invalid(decoded);

  let shape: InputShape;
  let event: Record<string, unknown>;
  try {
    const n = normalise(decoded.doc, t.shape, t.needed);
    shape = n.shape;
    event = n.ecs;
  } catch (e) {
    return { kind: 'invalid', reason: 'normalise_error', message: (e as Error).message };
  }
  try {
    const hits = t.set.matchAll(event).map((i) => t.rules[i] as Rule);
    return { kind: 'evaluated', format: decoded.format, shape, doc: decoded.doc, event, hits };
  } catch (e) {
    return { kind: 'invalid', reason: 'match_error', message: (e as Error).message };
  }
}

function invalid(r: { reason: DecodeFailureReason; message: string }): RecordOutcome {
  return { kind: 'invalid', reason: r.reason, message: r.message };
}

/** The full ECS view of a matched record, for its alert documents. */
export function alertView(outcome: Extract<RecordOutcome, { kind: 'evaluated' }>): Record<string, unknown> {
  return normalise(outcome.doc, outcome.shape).ecs;
}
