// The seed rule's case table: every branch and edge of its query, one row per
// event, with the expected decision and why. The query is the one in
// ../shared/reference/rule.md, verbatim; the bundled TOML must hold the same.
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../src/compile/compiler.js';
import { ReferenceInterpreter } from '../../../src/compile/reference.js';
import type { CompileOptions } from '../../../src/compile/types.js';
import { parseQuery } from '../../../src/eql/parser.js';
import { derivedFields } from '../../../src/inputs/normalise.js';
import { seedRuleQuery } from '../eql/ast-helpers.js';

const MISSING = Symbol('missing');
type V = unknown;
interface Parts {
  category?: V;
  type?: V;
  process?: V;
  extension?: V;
  name?: V;
  path?: V;
}
type Layout = 'nested' | 'dotted' | 'mixed';

const ASPNET = String.raw`C:\inetpub\wwwroot\aspnet_client\shell.aspx`;
const EXCH = String.raw`C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy`;
const OWA = `${EXCH}\\owa\\auth`;
const ECP = `${EXCH}\\ecp\\auth`;

/** An ECS file event; each part can be overridden or MISSING, in one of three layouts. */
function ev(over: Parts = {}, layout: Layout = 'nested'): Record<string, unknown> {
  const p = { category: ['file'], type: ['creation'], process: 'UMWorkerProcess.exe', extension: 'aspx', name: 'shell.aspx', path: ASPNET, ...over };
  const flat: [string, V][] = (
    [
      ['event.category', p.category],
      ['event.type', p.type],
      ['process.name', p.process],
      ['file.extension', p.extension],
      ['file.name', p.name],
      ['file.path', p.path],
    ] as [string, V][]
  ).filter(([, v]) => v !== MISSING);
  const doc: Record<string, unknown> = { '@timestamp': '2021-03-02T10:00:00.000Z', host: { name: 'EXCH01' } };
  flat.forEach(([k, v], i) => {
    const nested = layout === 'nested' || (layout === 'mixed' && i % 2 === 0);
    if (!nested) doc[k] = v;
    else {
      const [a, b] = k.split('.') as [string, string];
      ((doc[a] ??= {}) as Record<string, unknown>)[b] = v;
    }
  });
  return doc;
}

interface Row {
  readonly why: string;
  readonly event: unknown;
  readonly expected: boolean;
  readonly opts?: CompileOptions;
}

const long = 'a'.repeat(1100);
const EXCLUDED_OWA = ['errorFE.aspx', 'expiredpassword.aspx', 'frowny.aspx', 'GetIdToken.htm', 'logoff.aspx', 'logon.aspx', 'OutlookCN.aspx', 'RedirSuiteServiceProxy.aspx', 'signout.aspx'];
const EXTENSIONS = ['php', 'jsp', 'js', 'aspx', 'asmx', 'asax', 'cfm', 'shtml'];

const ROWS: Row[] = [
  // aspnet_client branch
  { why: 'aspnet_client webshell, nested ECS', event: ev(), expected: true },
  { why: 'same event with dotted keys', event: ev({}, 'dotted'), expected: true },
  { why: 'same event with nested and dotted keys mixed', event: ev({}, 'mixed'), expected: true },
  { why: 'file.path under {"file":{"path":…}} and {"file.path":…} at once: values merge', event: { ...ev({ path: MISSING }), 'file.path': ASPNET, file: { extension: 'aspx', name: 'x.aspx', path: 'D:\\other' } }, expected: true },
  { why: 'another drive letter', event: ev({ path: String.raw`D:\inetpub\wwwroot\aspnet_client\shell.aspx` }), expected: true },
  { why: 'lower-case drive and upper-case folders (`:` ignores case)', event: ev({ path: String.raw`c:\INETPUB\WWWROOT\ASPNET_CLIENT\SHELL.ASPX` }), expected: true },
  { why: '`?` needs exactly one character: empty prefix', event: ev({ path: String.raw`:\inetpub\wwwroot\aspnet_client\shell.aspx` }), expected: false },
  { why: '`?` needs exactly one character: two-character prefix', event: ev({ path: String.raw`CD:\inetpub\wwwroot\aspnet_client\shell.aspx` }), expected: false },
  { why: '`*` crosses backslashes (subfolder)', event: ev({ path: String.raw`C:\inetpub\wwwroot\aspnet_client\system_web\4_0_30319\shell.aspx` }), expected: true },
  { why: '`*` matches zero characters', event: ev({ path: 'C:\\inetpub\\wwwroot\\aspnet_client\\' }), expected: true },
  { why: 'folder itself without the trailing backslash', event: ev({ path: String.raw`C:\inetpub\wwwroot\aspnet_client` }), expected: false },
  { why: 'forward slashes are other characters', event: ev({ path: 'C:/inetpub/wwwroot/aspnet_client/shell.aspx' }), expected: false },
  { why: 'UNC path: second character is not ":"', event: ev({ path: String.raw`\\server\share\inetpub\wwwroot\aspnet_client\shell.aspx` }), expected: false },
  { why: '\\\\?\\ long-path prefix: pattern is anchored at the drive letter', event: ev({ path: String.raw`\\?\C:\inetpub\wwwroot\aspnet_client\shell.aspx` }), expected: false },
  { why: 'inetpub not at the drive root', event: ev({ path: String.raw`C:\x\inetpub\wwwroot\aspnet_client\shell.aspx` }), expected: false },
  { why: 'path longer than 1024: ignore_above, Elasticsearch never indexes it', event: ev({ path: `C:\\inetpub\\wwwroot\\aspnet_client\\${long}.aspx` }), expected: false },
  { why: 'the same long path with ignoreAbove disabled', event: ev({ path: `C:\\inetpub\\wwwroot\\aspnet_client\\${long}.aspx` }), expected: true, opts: { ignoreAbove: 0 } },
  { why: 'file.path array: any element matches', event: ev({ path: ['C:\\temp\\x.aspx', ASPNET] }), expected: true },
  { why: 'file.path array: long element ignored, other matches', event: ev({ path: [`C:\\inetpub\\wwwroot\\aspnet_client\\${long}`, ASPNET] }), expected: true },
  { why: 'file.path missing', event: ev({ path: MISSING }), expected: false },
  { why: 'file.path a number', event: ev({ path: 5 }), expected: false },
  { why: 'file.path a boolean', event: ev({ path: true }), expected: false },
  { why: 'file.path an object', event: ev({ path: { value: ASPNET } }), expected: false },
  { why: 'file.path null', event: ev({ path: null }), expected: false },
  // process.name
  ...['umservice.exe', 'UMSERVICE.EXE', 'UmService.Exe', 'umworkerprocess.exe', 'UMWORKERPROCESS.EXE'].map((process) => ({ why: `process.name ${process}: case-insensitive`, event: ev({ process }), expected: true })),
  { why: 'process.name with a suffix', event: ev({ process: 'UMWorkerProcess.exe.bak' }), expected: false },
  { why: 'process.name w3wp.exe', event: ev({ process: 'w3wp.exe' }), expected: false },
  { why: 'process.name missing', event: ev({ process: MISSING }), expected: false },
  { why: 'process.name an array holding the name', event: ev({ process: ['w3wp.exe', 'UMWorkerProcess.exe'] }), expected: true },
  { why: 'process.name an object', event: ev({ process: { name: 'UMWorkerProcess.exe' } }), expected: false },
  // file.extension
  ...EXTENSIONS.map((extension) => ({ why: `extension ${extension}`, event: ev({ extension }), expected: true })),
  ...['ASPX', 'Aspx', 'PHP', 'sHtMl'].map((extension) => ({ why: `extension ${extension}: case-insensitive`, event: ev({ extension }), expected: true })),
  ...['html', '.aspx', 'aspx ', 'dll', ''].map((extension) => ({ why: `extension ${JSON.stringify(extension)} is not listed`, event: ev({ extension }), expected: false })),
  { why: 'extension missing', event: ev({ extension: MISSING }), expected: false },
  { why: 'extension a number', event: ev({ extension: 5 }), expected: false },
  // event.category and event.type
  { why: 'event.category scalar', event: ev({ category: 'file' }), expected: true },
  { why: 'event.category array with file second', event: ev({ category: ['process', 'file'] }), expected: true },
  { why: 'event.category is case-sensitive', event: ev({ category: 'File' }), expected: false },
  { why: 'event.category without file', event: ev({ category: ['process'] }), expected: false },
  { why: 'event.category missing', event: ev({ category: MISSING }), expected: false },
  { why: 'event.category a number', event: ev({ category: 1 }), expected: false },
  { why: 'event.type scalar', event: ev({ type: 'creation' }), expected: true },
  { why: 'event.type array with creation second', event: ev({ type: ['change', 'creation'] }), expected: true },
  { why: '== is case-sensitive', event: ev({ type: 'Creation' }), expected: false },
  { why: 'event.type deletion', event: ev({ type: ['deletion'] }), expected: false },
  { why: 'event.type missing', event: ev({ type: MISSING }), expected: false },
  { why: 'event.type a boolean', event: ev({ type: true }), expected: false },
  // owa\auth branch
  { why: 'webshell in owa\\auth', event: ev({ path: `${OWA}\\shell.aspx` }), expected: true },
  { why: 'owa\\auth, dotted layout', event: ev({ path: `${OWA}\\shell.aspx` }, 'dotted'), expected: true },
  { why: 'owa\\auth, all lower case', event: ev({ path: `${OWA}\\shell.aspx`.toLowerCase() }), expected: true },
  { why: 'owa\\auth\\version\\ subfolder is excluded', event: ev({ path: `${OWA}\\version\\shell.aspx` }), expected: false },
  { why: 'owa\\auth\\VERSION\\ excluded too (case-insensitive)', event: ev({ path: `${OWA}\\VERSION\\shell.aspx` }), expected: false },
  { why: 'owa\\auth\\15.1.2176\\ (real build folder) is not "version"', event: ev({ path: `${OWA}\\15.1.2176\\shell.aspx` }), expected: true },
  { why: 'owa\\auth\\versions\\ is not "version\\"', event: ev({ path: `${OWA}\\versions\\shell.aspx` }), expected: true },
  ...EXCLUDED_OWA.map((name) => ({ why: `excluded file ${name} in owa\\auth`, event: ev({ name, path: `${OWA}\\${name}` }), expected: false })),
  ...EXCLUDED_OWA.map((name) => ({ why: `excluded file ${name.toUpperCase()} in owa\\auth (case-insensitive)`, event: ev({ name: name.toUpperCase(), path: `${OWA}\\${name}` }), expected: false })),
  { why: 'TimeoutLogoff.aspx is only excluded under ecp', event: ev({ name: 'TimeoutLogoff.aspx', path: `${OWA}\\TimeoutLogoff.aspx` }), expected: true },
  { why: 'file.name missing: not (… or file.name : …) holds (must_not)', event: ev({ name: MISSING, path: `${OWA}\\logon.aspx` }), expected: true },
  { why: 'file.name longer than 1024 is absent: the exclusion cannot hold', event: ev({ name: `${long}.aspx`, path: `${OWA}\\x.aspx` }), expected: true },
  { why: 'file.name array with an excluded name: excluded', event: ev({ name: ['logon.aspx', 'shell.aspx'], path: `${OWA}\\shell.aspx` }), expected: false },
  { why: 'file.name a number: not excluded', event: ev({ name: 7, path: `${OWA}\\7` }), expected: true },
  { why: '"Exchange Server V15" folder matches "Exchange Server*"', event: ev({ path: String.raw`C:\Program Files\Microsoft\Exchange Server V15\FrontEnd\HttpProxy\owa\auth\shell.aspx` }), expected: true },
  { why: '"ExchangeServer" without the space does not', event: ev({ path: String.raw`C:\Program Files\Microsoft\ExchangeServer\V15\FrontEnd\HttpProxy\owa\auth\shell.aspx` }), expected: false },
  { why: 'Microsoft directly under the drive: "?:\\*\\Microsoft" needs a folder between', event: ev({ path: String.raw`C:\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\shell.aspx` }), expected: false },
  { why: 'Exchange on another drive and deeper', event: ev({ path: String.raw`E:\Apps\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\x\shell.aspx` }), expected: true },
  { why: 'owa without auth', event: ev({ path: `${EXCH}\\owa\\shell.aspx` }), expected: false },
  { why: 'UNC path to owa\\auth', event: ev({ path: String.raw`\\exch01\c$\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\shell.aspx` }), expected: false },
  { why: 'owa\\auth with forward slashes', event: ev({ path: `${OWA}\\shell.aspx`.replaceAll('\\', '/') }), expected: false },
  { why: 'owa\\auth, process umservice.exe, extension ASPX', event: ev({ process: 'umservice.exe', extension: 'ASPX', path: `${OWA}\\shell.ASPX` }), expected: true },
  // ecp\auth branch
  { why: 'webshell in ecp\\auth', event: ev({ path: `${ECP}\\shell.aspx` }), expected: true },
  { why: 'TimeoutLogoff.aspx in ecp\\auth is excluded', event: ev({ name: 'TimeoutLogoff.aspx', path: `${ECP}\\TimeoutLogoff.aspx` }), expected: false },
  { why: 'timeoutlogoff.ASPX in ecp\\auth excluded (case-insensitive)', event: ev({ name: 'timeoutlogoff.ASPX', path: `${ECP}\\timeoutlogoff.ASPX` }), expected: false },
  { why: 'owa exclusions do not apply under ecp', event: ev({ name: 'logon.aspx', path: `${ECP}\\logon.aspx` }), expected: true },
  { why: 'ecp\\auth\\version\\ is not excluded', event: ev({ path: `${ECP}\\version\\shell.aspx` }), expected: true },
  { why: 'file.name missing under ecp: not file.name : … holds', event: ev({ name: MISSING, path: `${ECP}\\TimeoutLogoff.aspx` }), expected: true },
  { why: 'ecp\\auth in "Exchange Server V15"', event: ev({ path: String.raw`C:\Program Files\Microsoft\Exchange Server V15\FrontEnd\HttpProxy\ecp\auth\shell.aspx` }), expected: true },
  { why: 'ecp\\auth outside HttpProxy', event: ev({ path: String.raw`C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\ecp\auth\shell.aspx` }), expected: false },
  // not a document
  { why: 'an array is not an event', event: [ev()], expected: false },
  { why: 'null is not an event', event: null, expected: false },
  { why: 'a string is not an event', event: JSON.stringify(ev()), expected: false },
];

describe('seed rule case table', () => {
  const query = parseQuery(seedRuleQuery());

  it('is the query of the bundled rule', () => {
    const toml = readFileSync(new URL('../../../src/rules/bundled/microsoft_exchange_server_um_writing_suspicious_files.toml', import.meta.url), 'utf8');
    const rule = (parse(toml) as { rule: { query: string } }).rule;
    expect(rule.query.trim()).toBe(seedRuleQuery().trim());
  });

  it.each(ROWS.map((r) => [r.why, r] as const))('%s', (_why, row) => {
    const compiled = compileQuery(query, { ...row.opts, derivedFields });
    expect(compiled.matches(row.event)).toBe(row.expected);
    expect(new ReferenceInterpreter(query, row.opts?.ignoreAbove ?? 1024).matches(row.event)).toBe(row.expected);
    if (row.expected) expect(compiled.prefilter.mayMatch(Buffer.from(JSON.stringify(row.event)))).toBe(true);
  });

  it('derives the prefilter literals aspnet_client and httpproxy', () => {
    expect(compileQuery(query, { derivedFields }).prefilter.literals).toEqual(['aspnet_client', 'httpproxy']);
  });

  it('prefilter: rejects events without the literals, passes escaped ones', () => {
    const { prefilter } = compileQuery(query, { derivedFields });
    const other = JSON.stringify(ev({ path: String.raw`C:\Windows\Temp\x.aspx` }));
    expect(prefilter.mayMatch(Buffer.from(other))).toBe(false);
    // A literal hidden behind a JSON unicode escape: the message must be parsed.
    const hidden = JSON.stringify(ev()).replace('aspnet_client', 'aspnet\\u005fclient');
    expect(JSON.parse(hidden).file.path).toBe(ASPNET);
    expect(prefilter.mayMatch(Buffer.from(hidden))).toBe(true);
    // An escaped backslash before "u" is not an escape.
    expect(prefilter.mayMatch(Buffer.from(JSON.stringify({ p: 'C:\\users\\x' })))).toBe(false);
    expect(prefilter.mayMatch(Buffer.from(JSON.stringify(ev()).toUpperCase()))).toBe(true);
    // An escape of a non-ASCII character cannot hide an ASCII literal: no need to parse.
    expect(prefilter.mayMatch(Buffer.from(String.raw`{"p":"caf\u00e9","q":"x\u2028"}`))).toBe(false);
    // An escaped backslash followed by "u0041" is not an escape; a real \u0041 is.
    expect(prefilter.mayMatch(Buffer.from(String.raw`{"p":"C:\\u0041"}`))).toBe(false);
    expect(prefilter.mayMatch(Buffer.from(String.raw`{"p":"C:\\\u0041"}`))).toBe(true);
  });
});
