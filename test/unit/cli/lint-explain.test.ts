// `eql-stream lint` and `explain` on real and broken rule files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers.js';

const SEED_FILE = join(ROOT, 'src/rules/bundled/microsoft_exchange_server_um_writing_suspicious_files.toml');
const seed = readFileSync(SEED_FILE, 'utf8');
const seedQueryLine = seed.split('\n').findIndex((l) => l.startsWith("query = '''")) + 2; // first line of the query text

function ruleWith(query: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'eql-lint-'));
  const file = join(dir, 'rule.toml');
  writeFileSync(file, seed.replace(/query = '''\n[\s\S]*?'''/, `query = '''\n${query}\n'''`));
  return file;
}

describe('eql-stream lint', () => {
  it('passes the bundled rule', () => {
    const r = cli(['lint', join(ROOT, 'src/rules/bundled')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('0 error(s), 0 warning(s) in 1 rule file');
  });

  it('reports every query error at its line and column in the file', () => {
    const file = ruleWith('file where\n  nosuch(file.path) and\n  file.path : "a" or other(1)');
    const r = cli(['lint', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${file}:${seedQueryLine + 1}:3: error [unknown-function]`);
    expect(r.stdout).toContain(`${file}:${seedQueryLine + 2}:22: error [unknown-function]`);
    expect(r.stdout).toContain(`${file}:${seedQueryLine + 1}:3: warning [mixed-and-or]`);
    expect(r.stdout).not.toContain('[rule]');
  });

  it('reports a syntax error that stops the parser once, with the spot', () => {
    const file = ruleWith('file where file.path : ');
    const r = cli(['lint', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.match(/error/g)).toHaveLength(1);
    // The query ends after the newline that closes its line: the spot is the start of the next line.
    expect(r.stdout.startsWith(`${file}:${seedQueryLine + 1}:1: error [syntax] expected a value after ':'`)).toBe(true);
    expect(r.stdout).toContain('\n  ^');
  });

  it('reports what keeps a rule from loading, with file and line', () => {
    const file = ruleWith('file where true');
    writeFileSync(file, readFileSync(file, 'utf8').replace('risk_score = 47', 'risk_score = "high"'));
    const r = cli(['lint', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/rule\.toml:\d+:1: error \[rule\] \[rule\] risk_score:/);
  });

  it('fails on warnings only with --strict', () => {
    expect(cli(['lint', '--query', 'file where file.name == "*.aspx"']).status).toBe(0);
    const strict = cli(['lint', '--strict', '--query', 'file where file.name == "*.aspx"']);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('query:1:25: warning [literal-wildcard]');
    expect(strict.stdout).toContain('\n  file where file.name == "*.aspx"\n                          ^\n');
  });
});

describe('eql-stream explain', () => {
  it('shows the prefilter literals, the plan and the fields per input shape of the bundled rule', () => {
    const r = cli(['explain']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('prefilter literals: "aspnet_client", "httpproxy"');
    expect(r.stdout).toContain('fields: event.category, event.type, process.name, file.extension, file.path, file.name');
    expect(r.stdout).toMatch(/winlogbeat: winlog\.channel, winlog\.event_id\|event\.code, .*winlog\.event_data\.TargetFilename/);
    expect(r.stdout).toMatch(/flat: +Channel, EventID, .*TargetFilename/);
  });
});
