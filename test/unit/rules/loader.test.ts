import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedRuleQuery } from '../eql/ast-helpers.js';
import { bundledRulesDir, loadRules, loadRuleText, RuleLoadError } from '../../../src/rules/loader.js';

const SEED_FILE = join(bundledRulesDir, 'microsoft_exchange_server_um_writing_suspicious_files.toml');
const SEED_TEXT = readFileSync(SEED_FILE, 'utf8');

/** A small valid rule; `extra` lines go into [rule], `replace` swaps whole lines. */
function ruleToml(opts: { id?: string; extra?: string; drop?: string; query?: string } = {}): string {
  const lines = [
    '[metadata]',
    'creation_date = "2024/01/01"',
    'maturity = "development"',
    '',
    '[rule]',
    'author = ["Test"]',
    'description = "A test rule."',
    'index = ["logs-*"]',
    'language = "eql"',
    'name = "Test rule"',
    'risk_score = 21',
    `rule_id = "${opts.id ?? '11111111-2222-3333-4444-555555555555'}"`,
    'severity = "low"',
    'type = "eql"',
    ...(opts.extra ? [opts.extra] : []),
    '',
    "query = '''",
    opts.query ?? 'process where process.name : "cmd.exe"',
    "'''",
  ];
  return `${lines.filter((l) => !opts.drop || !l.startsWith(`${opts.drop} =`)).join('\n')}\n`;
}

function loadError(toml: string, file = 'rules/test.toml'): RuleLoadError {
  try {
    loadRuleText(toml, file);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleLoadError);
    return e as RuleLoadError;
  }
  throw new Error('expected a RuleLoadError');
}

const tmp = mkdtempSync(join(tmpdir(), 'eql-stream-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the bundled seed rule', () => {
  it('is loaded by default', async () => {
    const rules = await loadRules();
    expect(rules.map((r) => r.rule.rule_id)).toEqual(['6cd1779c-560f-4b68-a8f1-11009b27fe63']);
    expect(rules[0]?.file).toBe(SEED_FILE);
  });

  it('round-trips every key of rule.md (version 3)', async () => {
    const [rule] = await loadRules(SEED_FILE);
    const def = rule!.rule;
    expect(def).toMatchObject({
      rule_id: '6cd1779c-560f-4b68-a8f1-11009b27fe63',
      name: 'Microsoft Exchange Server UM Writing Suspicious Files',
      version: 3,
      type: 'eql',
      language: 'eql',
      index: ['winlogbeat-*', 'logs-endpoint.events.*', 'logs-windows.*'],
      severity: 'medium',
      risk_score: 47,
      interval: '5m',
      from: 'now-9m',
      max_signals: 100,
      timestamp_override: 'event.ingested',
      tags: ['Elastic', 'Host', 'Windows', 'Threat Detection', 'Initial Access'],
      author: ['Elastic', 'Austin Songer'],
      license: 'Elastic License v2',
      threat: [
        {
          framework: 'MITRE ATT&CK',
          tactic: { id: 'TA0001', name: 'Initial Access', reference: 'https://attack.mitre.org/tactics/TA0001/' },
          technique: [
            { id: 'T1190', name: 'Exploit Public-Facing Application', reference: 'https://attack.mitre.org/techniques/T1190/' },
          ],
        },
      ],
    });
    expect(rule!.intervalMs).toBe(300_000);
    expect(def.query.trimEnd()).toBe(seedRuleQuery());
    expect(def.references).toHaveLength(2);
    expect(def.references[0]).toMatch(/microsoft\.com\/security\/blog\/2021\/03\/02\/hafnium-targeting-exchange-servers/);
    expect(def.references[1]).toMatch(/volexity\.com\/blog\/2021\/03\/02\/active-exploitation-of-microsoft-exchange-zero-day/);
    expect(def.false_positives).toHaveLength(2);
    expect(def.false_positives[0]).toMatch(/installation/);
    expect(def.false_positives[1]).toMatch(/microsoft\/CSS-Exchange\/tree\/main\/Security\/Baselines/);
    expect(def.description.replace(/\s+/g, ' ').trim()).toBe(
      'Identifies suspicious files being written by the Microsoft Exchange Server Unified Messaging (UM) service. This activity has been observed exploiting CVE-2021-26858.',
    );
    expect(def.note).toContain('## Triage and analysis');
    expect(def.note).toContain('[baselines](https://github.com/microsoft/CSS-Exchange/tree/main/Security/Baselines)');
    expect(def.note).toContain('[repository](https://github.com/microsoft/CSS-Exchange/tree/main/Security)');
    expect(def.note).toContain('## Config');
    expect(def.note).toContain('populate `event.ingested` to @timestamp');
    expect(rule!.metadata).toMatchObject({ creation_date: '2021/03/04', maturity: 'production' });
  });

  it('is compiled, and hashed over the file bytes', async () => {
    const [rule] = await loadRules(SEED_FILE);
    expect(rule!.query.category).toBe('file');
    expect(rule!.compiled.category).toBe('file');
    expect(rule!.compiled.fields).toEqual(expect.arrayContaining(['process.name', 'file.extension', 'file.path', 'file.name']));
    expect(rule!.sha256).toBe(createHash('sha256').update(readFileSync(SEED_FILE)).digest('hex'));
    expect(loadRuleText(SEED_TEXT, 'x.toml').sha256).toBe(rule!.sha256);
  });

  it('matches a real Elastic Defend file event only once it writes a web shell as the UM worker', async () => {
    const [rule] = await loadRules(SEED_FILE);
    const event = JSON.parse(readFileSync(new URL('../alerts/fixtures/endpoint-file-sample_event.json', import.meta.url), 'utf8'));
    expect(rule!.compiled.matches(event)).toBe(false);
    event.process.name = 'UMWorkerProcess.exe';
    event.file.extension = 'aspx';
    event.file.name = 'shell.aspx';
    event.file.path = 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx';
    expect(rule!.compiled.matches(event)).toBe(true);
    event.file.path = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx';
    event.file.name = 'logon.aspx';
    expect(rule!.compiled.matches(event)).toBe(false);
  });
});

describe('loading folders', () => {
  it('loads every *.toml below a folder in path order and skips other files', async () => {
    const dir = join(tmp, 'folder');
    mkdirSync(join(dir, 'windows'), { recursive: true });
    writeFileSync(join(dir, 'windows', 'b.toml'), SEED_TEXT);
    writeFileSync(join(dir, 'a.toml'), ruleToml());
    writeFileSync(join(dir, 'README.md'), '# not a rule');
    writeFileSync(join(dir, 'windows', 'notes.txt'), 'rule_id = nope');
    const rules = await loadRules(dir);
    expect(rules.map((r) => r.file)).toEqual([join(dir, 'a.toml'), join(dir, 'windows', 'b.toml')]);
    expect(rules.map((r) => r.rule.name)).toEqual(['Test rule', 'Microsoft Exchange Server UM Writing Suspicious Files']);
  });

  it('refuses a rule_id defined twice, naming both files', async () => {
    const dir = join(tmp, 'dupes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'one.toml'), ruleToml());
    writeFileSync(join(dir, 'two.toml'), ruleToml());
    await expect(loadRules(dir)).rejects.toThrow(
      `${join(dir, 'two.toml')}:12:1: duplicate rule_id "11111111-2222-3333-4444-555555555555" (already defined in ${join(dir, 'one.toml')})`,
    );
  });

  it('reports an empty folder and a missing path', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(loadRules(empty)).rejects.toThrow(`${empty}: no *.toml rule files in this folder`);
    await expect(loadRules(join(tmp, 'nope.toml'))).rejects.toThrow(`${join(tmp, 'nope.toml')}: cannot read rules: ENOENT`);
  });
});

describe('defaults', () => {
  it("applies Kibana's from, interval and max_signals, and version 1", () => {
    const rule = loadRuleText(ruleToml(), 't.toml');
    expect(rule.rule).toMatchObject({ from: 'now-6m', interval: '5m', max_signals: 100, version: 1, tags: [], threat: [] });
    expect(rule.intervalMs).toBe(300_000);
    expect(rule.rule.timestamp_override).toBeUndefined();
  });

  it('parses intervals in seconds, minutes, hours and days', () => {
    const ms = (interval: string) => loadRuleText(ruleToml({ extra: `interval = "${interval}"` }), 't.toml').intervalMs;
    expect([ms('30s'), ms('5m'), ms('1h'), ms('2d')]).toEqual([30_000, 300_000, 3_600_000, 172_800_000]);
  });
});

describe('errors name the file and the spot', () => {
  it('TOML syntax errors carry line and column', () => {
    const toml = ruleToml().replace('risk_score = 21', 'risk_score = = 21');
    const e = loadError(toml);
    expect(e.line).toBe(11);
    expect(e.message.split('\n')[0]).toMatch(/^rules\/test\.toml:11:\d+: invalid TOML: /);
    expect(e.message).toContain('risk_score = = 21');
  });

  it.each([
    ['rule_id', 'rules/test.toml:5:1: [rule] rule_id: missing required key "rule_id"'],
    ['query', 'rules/test.toml:5:1: [rule] query: missing required key "query"'],
    ['index', 'rules/test.toml:5:1: [rule] index: missing required key "index"'],
    ['risk_score', 'rules/test.toml:5:1: [rule] risk_score: missing required key "risk_score"'],
  ])('a missing %s', (key, message) => {
    const toml = key === 'query' ? ruleToml().replace(/query = '''[\s\S]*'''\n/, '') : ruleToml({ drop: key });
    expect(loadError(toml).message).toBe(message);
  });

  it('a missing [rule] table', () => {
    expect(loadError('[metadata]\nmaturity = "x"\n').message).toBe('rules/test.toml: missing table [rule]');
  });

  it.each([
    ['risk_score = "21"', 'risk_score = 21', '11:1: [rule] risk_score: expected an integer from 0 to 100, got the string "21"'],
    ['risk_score = 101', 'risk_score = 21', '11:1: [rule] risk_score: expected an integer from 0 to 100, got the number 101'],
    ['index = "logs-*"', 'index = ["logs-*"]', '8:1: [rule] index: expected an array of strings, got the string "logs-*"'],
    ['index = ["logs-*", 3]', 'index = ["logs-*"]', '8:1: [rule] index[1]: expected a string, got the number 3'],
    ['index = []', 'index = ["logs-*"]', '8:1: [rule] index: expected at least one index pattern'],
    ['severity = "urgent"', 'severity = "low"', '13:1: [rule] severity: expected one of low, medium, high, critical, got "urgent"'],
    ['type = "query"', 'type = "eql"', '14:1: [rule] type: rule type "query" is not supported: only "eql" rules can run here'],
    ['language = "kuery"', 'language = "eql"', '9:1: [rule] language: language "kuery" is not supported: expected "eql"'],
    ['name = ["x"]', 'name = "Test rule"', '10:1: [rule] name: expected a string, got an array'],
  ])('%s', (bad, good, message) => {
    expect(loadError(ruleToml().replace(good, bad)).message).toBe(`rules/test.toml:${message}`);
  });

  it('wrong optional keys', () => {
    expect(loadError(ruleToml({ extra: 'interval = "5 minutes"' })).message).toBe(
      'rules/test.toml:15:1: [rule] interval: expected a duration such as "30s", "5m", "1h" or "1d", got "5 minutes"',
    );
    expect(loadError(ruleToml({ extra: 'max_signals = 0' })).message).toBe(
      'rules/test.toml:15:1: [rule] max_signals: expected an integer from 1 to 1000000, got the number 0',
    );
    expect(loadError(ruleToml({ extra: 'tags = "Windows"' })).message).toBe(
      'rules/test.toml:15:1: [rule] tags: expected an array of strings, got the string "Windows"',
    );
    expect(loadError(ruleToml().replace('maturity = "development"', 'maturity = 1')).message).toBe(
      'rules/test.toml:3:1: [metadata] maturity: expected a string, got the number 1',
    );
  });

  it('a threat entry without its tactic points at [[rule.threat]]', () => {
    const toml = `${ruleToml()}\n[[rule.threat]]\nframework = "MITRE ATT&CK"\n`;
    expect(loadError(toml).message).toBe('rules/test.toml:20:1: [rule] threat[0].tactic: missing table [rule.threat[0].tactic]');
  });

  it('query syntax errors are placed on the line of the file', () => {
    // Query line 2 holds the error; the query starts on file line 17.
    const e = loadError(ruleToml({ query: 'process where\n  process.name : "cmd.exe" and and' }));
    expect(e.line).toBe(18);
    expect(e.message.split('\n')[0]).toMatch(/^rules\/test\.toml:18:\d+: query: /);
    expect(e.message.split('\n').slice(1)).toEqual(['  process.name : "cmd.exe" and and', expect.stringMatching(/^ +\^$/)]);
    const caretColumn = (e.message.split('\n')[2] as string).indexOf('^') + 1;
    expect(e.column).toBe(caretColumn);
  });

  it('a query on the key line keeps its column', () => {
    const toml = ruleToml().replace(/query = '''[\s\S]*'''\n/, 'query = "process where and"\n');
    const e = loadError(toml);
    expect(e.line).toBe(16);
    // "query = \"" is 9 characters; the error sits at query column 15 ("and").
    expect(e.column).toBe(9 + 15);
  });
});
