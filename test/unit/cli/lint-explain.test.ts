// `eql-stream lint` and `explain` on real and broken rule files.
import { spawnSync } from 'node:child_process';
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
    expect(r.stdout).toBe('0 error(s), 0 warning(s) in 1 rule file\n');
  });

  it('reports every query error at its line and column in the file', () => {
    const file = ruleWith('file where\n  nosuch(file.path) and\n  file.path : "a" or other(1)');
    const r = cli(['lint', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${file}:${seedQueryLine + 1}:3: error [unknown-function]`);
    expect(r.stdout).toContain(`${file}:${seedQueryLine + 2}:22: error [unknown-function]`);
    expect(r.stdout).toContain(`${file}:${seedQueryLine + 1}:3: warning [mixed-and-or]`);
    expect(r.stdout).not.toContain("[rule-file]");
  });

  it('reports a syntax error that stops the parser once, with the spot', () => {
    const file = ruleWith('file where file.path : ');
    const r = cli(['lint', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.match(/: error \[/g)).toHaveLength(1);
    // The query ends after the newline that closes its line: the spot is the start of the next line.
    expect(r.stdout.startsWith(`${file}:${seedQueryLine + 1}:1: error [syntax] expected a value after ':'`)).toBe(true);
    expect(r.stdout).toContain('\n  ^');
  });

  it('reports what keeps a rule from loading, with file and line', () => {
    const file = ruleWith('file where true');
    writeFileSync(file, readFileSync(file, 'utf8').replace('risk_score = 47', 'risk_score = "high"'));
    const r = cli(['lint', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/rule\.toml:\d+:1: error \[rule-file\] \[rule\] risk_score:/);
  });

  it('reports what parses but cannot compile, at the expression', () => {
    const r = cli(['lint', '--query', 'process where process.name : "a" and process.name regex~ "[a-"']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('query:1:38: error [invalid-query] invalid regular expression "[a-"');
    const file = ruleWith('file where\n  file.path regex "a{1000}{1000}"');
    expect(cli(['lint', file]).stdout).toContain(`${file}:${seedQueryLine + 1}:3: error [invalid-query] regular expression too large`);
    // The loader, and so scan and run, refuse it at the same spot.
    expect(cli(['scan', '--rule', file, '-'], '').stderr).toContain(`${file}:${seedQueryLine + 1}:3: query: regular expression too large`);
  });

  it('reports a rule_id that two files define, as loading would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eql-lint-'));
    writeFileSync(join(dir, 'a.toml'), seed);
    writeFileSync(join(dir, 'b.toml'), seed);
    const r = cli(['lint', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/b\.toml:\d+:1: error \[rule-file\] duplicate rule_id "6cd1779c-560f-4b68-a8f1-11009b27fe63" \(already defined in .*a\.toml\)/);
  });

  it('refuses paths that are not rule files, with exit status 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eql-lint-'));
    const fifo = join(dir, 'pipe.toml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = cli(['lint', fifo, join(dir, 'missing')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`${fifo}: error [rule-file] not a regular file or a folder`);
    expect(r.stdout).toContain('cannot read rules: ENOENT');
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
