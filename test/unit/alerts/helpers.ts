// The seed rule as the alert module sees it: the bundled TOML validated by the
// real rules code, with a stub in place of the compiled query (alerts never evaluate).
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { parseInterval, toMetadata, toRuleDefinition } from '../../../src/rules/definition.js';
import type { Rule, RuleDefinition } from '../../../src/rules/types.js';
import type { CompiledQuery } from '../../../src/compile/types.js';
import type { EventQuery } from '../../../src/eql/ast.js';

export const SEED_TOML = new URL(
  '../../../src/rules/bundled/microsoft_exchange_server_um_writing_suspicious_files.toml',
  import.meta.url,
);

const fail = (key: string, detail: string): never => {
  throw new Error(`${key}: ${detail}`);
};

export function seedRule(overrides: Partial<RuleDefinition> = {}): Rule {
  const doc = parse(readFileSync(SEED_TOML, 'utf8'));
  const rule = { ...toRuleDefinition(doc['rule'], fail), ...overrides };
  return {
    metadata: toMetadata(doc['metadata'], fail),
    rule,
    query: {} as EventQuery,
    compiled: {} as CompiledQuery,
    file: SEED_TOML.pathname,
    sha256: '0'.repeat(64),
    intervalMs: parseInterval(rule.interval) as number,
  };
}

/** The real Elastic Defend file-creation event, turned into a hit of the seed rule. */
export function hitEvent(): Record<string, unknown> {
  const event = JSON.parse(
    readFileSync(new URL('./fixtures/endpoint-file-sample_event.json', import.meta.url), 'utf8'),
  ) as Record<string, any>;
  event.process.name = 'UMWorkerProcess.exe';
  event.process.executable = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe';
  event.file.path = 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx';
  event.file.name = 'shell.aspx';
  event.file.extension = 'aspx';
  return event;
}

/** Freezes every object and array below `value`, so any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
