import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src/eql/parser.js';
import { ecsAllowedValues, ecsIgnoreAbove, ecsType, isEcsField } from '../../../src/lint/ecs.js';
import { lintQuery, lintSource, type LintFinding } from '../../../src/lint/lint.js';
import { textView, WildcardPattern } from '../../../src/compile/wildcard.js';
import { seedRuleQuery } from '../eql/ast-helpers.js';

const codes = (findings: readonly LintFinding[]): string[] => findings.map((f) => f.code);
/** Findings for a condition on ECS fields, under an ECS category. */
const lintCondition = (condition: string): LintFinding[] => lintSource(`file where ${condition}`);
/** Column of `needle` (its nth occurrence) in the query that lintCondition builds. */
const col = (condition: string, needle: string, nth = 1): number => {
  let at = -1;
  for (let i = 0; i < nth; i++) at = condition.indexOf(needle, at + 1);
  return 'file where '.length + at + 1;
};

describe('the seed rule', () => {
  it('lints clean', () => {
    expect(lintSource(seedRuleQuery())).toEqual([]);
    expect(lintQuery(parseQuery(seedRuleQuery()))).toEqual([]);
  });

  it('still lints clean with the host.os.type line of later versions', () => {
    expect(lintSource(seedRuleQuery().replace('file where ', 'file where host.os.type == "windows" and '))).toEqual([]);
  });
});

describe('mixed-and-or', () => {
  it('flags an unparenthesised and inside or, at the and', () => {
    const findings = lintCondition('file.name == "a" and file.path == "b" or file.size > 1');
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'mixed-and-or',
        message: "'and' mixed with 'or' without parentheses: 'and' binds tighter, so this reads as (… and …) or …; add parentheses to show the intended grouping",
        line: 1,
        column: 12,
      },
    ]);
  });

  it('accepts explicit grouping', () => {
    expect(lintCondition('(file.name == "a" and file.path == "b") or file.size > 1')).toEqual([]);
    expect(lintCondition('file.name == "a" and (file.path == "b" or file.size > 1)')).toEqual([]);
    expect(lintCondition('file.name == "a" or file.path == "b" or not file.size > 1')).toEqual([]);
  });
});

describe('literal-wildcard', () => {
  it.each([
    ['file.path == "C:\\\\Windows\\\\*"', "'==' compares exactly: '*' in \"C:\\\\Windows\\\\*\" is a literal character, not a wildcard; use ':' (or like) for wildcard matching"],
    ['file.name != "?.exe"', "'!=' compares exactly: '?' in \"?.exe\" is a literal character, not a wildcard; use ':' (or like) for wildcard matching"],
    ['"a*?" == file.name', "'==' compares exactly: '*' and '?' in \"a*?\" are literal characters, not a wildcard; use ':' (or like) for wildcard matching"],
    ['file.name in ("cmd.exe", "power*.exe")', "'in' compares exactly: '*' in \"power*.exe\" is a literal character, not a wildcard; use ':' (or like) for wildcard matching"],
    ['file.name not in~ ("x*")', "'not in~' compares exactly: '*' in \"x*\" is a literal character, not a wildcard; use ':' (or like) for wildcard matching"],
  ])('%s', (condition, message) => {
    const findings = lintCondition(condition);
    expect(findings.map((f) => [f.code, f.message])).toEqual([['literal-wildcard', message]]);
  });

  it('points at the string', () => {
    const [f] = lintCondition('file.name in ("a",\n  "b*")');
    expect(f).toMatchObject({ line: 2, column: 3 });
  });

  it('accepts wildcards where they are wildcards', () => {
    expect(lintCondition('file.path : "C:\\\\*" and file.name like~ "a?b" and file.name == "plain.exe"')).toEqual([]);
  });
});

describe('patterns that can never match', () => {
  it('extension-with-dot: ECS extensions have no dot', () => {
    const condition = 'file.extension : ("aspx", "*.aspx") or file.extension == ".php" or url.extension in ("js", "tar.gz")';
    const findings = lintCondition(condition);
    expect(findings.map((f) => [f.code, f.column])).toEqual([
      ['extension-with-dot', col(condition, '"*.aspx"')],
      ['extension-with-dot', col(condition, '".php"')],
      ['extension-with-dot', col(condition, '"tar.gz"')],
    ]);
    expect(findings[0]!.message).toBe(
      'can never match: ECS file.extension holds the extension without a dot ("aspx", not ".aspx"), but "*.aspx" requires one',
    );
  });

  it('exceeds-ignore-above: a value or pattern longer than the keyword limit', () => {
    const long = 'x'.repeat(1025);
    const fits = 'x'.repeat(1024);
    expect(ecsIgnoreAbove('file.path')).toBe(1024);
    const findings = lintCondition(
      `file.path == "${long}" or file.path : "*${long}*" or file.path : "${'?'.repeat(1025)}" or file.path == "${fits}" or file.path : "${fits}*"`,
    );
    expect(codes(findings)).toEqual(['exceeds-ignore-above', 'exceeds-ignore-above', 'exceeds-ignore-above']);
    expect(findings[1]!.message).toBe(
      'can never match in Elasticsearch: every value matching this pattern has more than 1024 characters, and ECS maps file.path with ignore_above 1024, so such values are not indexed',
    );
  });

  it('self-comparison', () => {
    const findings = lintCondition('file.size == file.size or file.size < file.size');
    expect(findings.map((f) => f.message)).toEqual([
      "'file.size' is compared with itself: true whenever the field is present",
      "'file.size' is compared with itself: this can never match",
    ]);
  });

  it('non-ecs-value: categorisation values ECS does not allow', () => {
    const condition =
      'event.type == "create" or event.type in ("creation", "deleted") or event.category : "fil*" or event.outcome : "SUCC*" or event.type == "creation"';
    const findings = lintCondition(condition);
    expect(findings.map((f) => [f.code, f.column])).toEqual([
      ['non-ecs-value', col(condition, '"create"')],
      ['non-ecs-value', col(condition, '"deleted"')],
    ]);
    expect(findings[0]!.message).toMatch(/^can never match ECS data: "create" is not an allowed event.type value \(access, .*creation.*\)$/);
  });

  it('non-ecs-value: an event category ECS does not know', () => {
    const [f] = lintSource('files where true');
    expect(f).toMatchObject({ severity: 'warning', code: 'non-ecs-value', line: 1, column: 1 });
    expect(f!.message).toMatch(/^'files' is not an ECS event.category \(ECS 9\.\d+\.\d+ has .*\bfile\b.*\)$/);
    expect(lintSource('any where true')).toEqual([]);
  });

  it('is case-sensitive for == and case-insensitive for :', () => {
    expect(codes(lintCondition('event.type == "Creation"'))).toEqual(['non-ecs-value']);
    expect(codes(lintCondition('event.type : "Creation"'))).toEqual([]);
    expect(codes(lintCondition('event.type in~ ("CREATION")'))).toEqual([]);
  });
});

describe('functions', () => {
  it('reports every bad call, not only the first, and lints the rest', () => {
    const condition = 'foo(file.name) and length~(file.name) and startsWith(file.name) and file.name == "a*"';
    const findings = lintCondition(condition);
    expect(findings.map((f) => [f.severity, f.code, f.column])).toEqual([
      ['error', 'unknown-function', col(condition, 'foo')],
      ['error', 'no-case-insensitive-variant', col(condition, 'length~')],
      ['error', 'wrong-arity', col(condition, 'startsWith')],
      ['warning', 'literal-wildcard', col(condition, '"a*"')],
    ]);
  });

  it('reports a syntax error as one finding', () => {
    expect(lintSource('file where file.name == ')).toEqual([
      { severity: 'error', code: 'syntax', message: "expected a value after '==' but found the end of the query", line: 1, column: 25 },
    ]);
  });
});

describe('non-ecs-field', () => {
  it('warns once per field, with spelling suggestions', () => {
    const findings = lintCondition('proces.name == "a" and proces.name == "b" and winlog.event_data.X == 1');
    expect(findings).toEqual([
      { severity: 'warning', code: 'non-ecs-field', message: "'proces.name' is not an ECS 9.4.0 field; did you mean process.name?", line: 1, column: 12 },
      {
        severity: 'warning',
        code: 'non-ecs-field',
        message: "'winlog.event_data.X' is not an ECS 9.4.0 field; write ?winlog.event_data.X if it is a custom field that may be missing",
        line: 1,
        column: 58,
      },
    ]);
  });

  it('accepts ECS fields, multi-fields, open objects and optional fields', () => {
    expect(lintCondition('@timestamp > 0 and file.path.text : "a" and labels.team == "x" and ?custom.thing == 1')).toEqual([]);
  });
});

describe('the ECS field list', () => {
  it('comes from the ECS definitions', () => {
    expect(ecsType('file.path')).toBe('keyword');
    expect(ecsType('process.pid')).toBe('long');
    expect(ecsType('file.path.text')).toBe('match_only_text');
    expect(ecsType('file.Ext.original.path')).toBeUndefined();
    expect(isEcsField('container.labels.app')).toBe(true);
    expect(ecsAllowedValues('event.category')).toContain('file');
  });
});

describe('the wildcard matcher lint checks allowed values with', () => {
  it.each([
    ['fil*', 'file', true, true],
    ['FIL?', 'file', true, true],
    ['FIL?', 'file', false, false],
    ['*a*b*', 'xxaxxbxx', false, true],
    ['a?', 'a', false, false],
    ['', '', false, true],
    ['*', '', false, true],
  ])('%s ~ %s (ci %s)', (pattern, value, ci, expected) => {
    expect(WildcardPattern.parse(pattern, ci).matches(textView(value))).toBe(expected);
  });
});
