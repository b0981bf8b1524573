// ECS documents (Elastic Defend, re-published Elasticsearch documents): already in the target form.
import type { Doc } from './doc-path.js';

export function normaliseEcs(doc: Doc): Doc {
  return doc;
}
