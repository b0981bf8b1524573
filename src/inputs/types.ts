// The input shapes we read, and what normalisation hands to the matcher.

/**
 * - `ecs`: ECS documents (Elastic Defend, re-published Elasticsearch documents); nested, dotted or mixed keys.
 * - `winlogbeat`: Winlogbeat 8 / Elastic Agent output before the ingest pipeline (`winlog.*`, `event.code`).
 * - `flat`: flat Windows event JSON (`Channel`, `EventID`, `Hostname`, event data at the top level).
 */
export type InputShape = 'ecs' | 'winlogbeat' | 'flat';
export type ShapeSetting = InputShape | 'auto';

export interface NormalisedEvent {
  readonly shape: InputShape;
  /**
   * The ECS view of the event: for `ecs` the document itself; for raw shapes the
   * original fields plus the ECS fields derived from them (nested objects).
   */
  readonly ecs: Record<string, unknown>;
}
