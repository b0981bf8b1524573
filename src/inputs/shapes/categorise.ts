// Writes a categorisation row (the pipelines' "Set ECS categorization fields" script) into the output.
import type { DerivedDoc } from './doc-path.js';
import type { Categorisation } from './sysmon-tables.js';

export function setCategorisation(out: DerivedDoc, row: Categorisation | undefined): void {
  if (row === undefined) return;
  // Fresh arrays per event: the output may be handed to code that mutates it.
  if (row.category !== undefined) out.set('event.category', [...row.category]);
  if (row.type !== undefined) out.set('event.type', [...row.type]);
  if (row.outcome !== undefined) out.set('event.outcome', [...row.outcome]);
  out.set('event.action', row.action);
}
