// The seed rule over the real public events: no false positives. ECS documents
// are matched as they are; raw shapes go through normalisation first. The MSTIC
// feed's webshell paths, written as UMWorkerProcess.exe file creations, check
// the positive side on real attacker file names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPublicCorpus, PUBLIC_DATA_DIR } from '../../../bench/corpus.js';
import { compileQuery } from '../../../src/compile/compiler.js';
import { parseQuery } from '../../../src/eql/parser.js';
import { derivedFields, detectShape, normalise } from '../../../src/inputs/normalise.js';
import { seedRuleQuery } from '../eql/ast-helpers.js';

const rule = compileQuery(parseQuery(seedRuleQuery()), { derivedFields });

describe('seed rule on the public corpus', () => {
  const corpus = loadPublicCorpus();

  it('reads every file', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    const otrf = corpus.find((c) => c.file.endsWith('proxylogon_ssrf_rce_poc_2021-03-14T01401970.json'));
    expect(otrf?.messages.length).toBe(10_487);
  });

  it('produces no false positives, and the prefilter agrees with the matcher', () => {
    const counts: Record<string, { events: number; ecs: number; matches: number; prefilterPassed: number }> = {};
    for (const { file, messages } of corpus) {
      const c = (counts[file] = { events: 0, ecs: 0, matches: 0, prefilterPassed: 0 });
      for (const raw of messages) {
        const doc = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        const shape = detectShape(doc);
        const ecs = normalise(doc, shape).ecs;
        const hit = rule.matches(ecs);
        const pass = rule.prefilter.mayMatch(raw);
        c.events++;
        if (shape === 'ecs') c.ecs++;
        if (hit) c.matches++;
        if (pass) c.prefilterPassed++;
        if (hit) expect(pass).toBe(true);
      }
    }
    const total = Object.values(counts).reduce((s, c) => ({ events: s.events + c.events, matches: s.matches + c.matches, passed: s.passed + c.prefilterPassed }), { events: 0, matches: 0, passed: 0 });
    console.info('public corpus:', JSON.stringify(total), '\n', Object.entries(counts).map(([f, c]) => `${f}: ${JSON.stringify(c)}`).join('\n '));
    expect(total.events).toBeGreaterThan(11_000);
    expect(total.matches).toBe(0);
    // The prefilter must let little through on real logs (only events naming the literals, or with \u escapes).
    expect(total.passed / total.events).toBeLessThan(0.05);
  });
});

describe('MSTIC webshell paths as UMWorkerProcess.exe file creations', () => {
  const feed = JSON.parse(
    readFileSync(join(PUBLIC_DATA_DIR, 'azure-sentinel/Sample Data/Feeds/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.json'), 'utf8'),
  ) as { Indicator: string; IndicatorType: string }[];
  const paths = feed.filter((r) => r.IndicatorType !== 'sha256').map((r) => r.Indicator);

  /** What the rule says, restated plainly for these absolute C: paths. */
  function expected(path: string): boolean {
    const name = path.slice(path.lastIndexOf('\\') + 1);
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    if (!['php', 'jsp', 'js', 'aspx', 'asmx', 'asax', 'cfm', 'shtml'].includes(ext)) return false;
    const p = path.toLowerCase();
    if (p.startsWith('c:\\inetpub\\wwwroot\\aspnet_client\\')) return true;
    const owa = '\\microsoft\\exchange server\\v15\\frontend\\httpproxy\\owa\\auth\\';
    const excluded = ['errorfe.aspx', 'expiredpassword.aspx', 'frowny.aspx', 'getidtoken.htm', 'logoff.aspx', 'logon.aspx', 'outlookcn.aspx', 'redirsuiteserviceproxy.aspx', 'signout.aspx'];
    return p.includes(owa) && !p.includes(`${owa}version\\`) && !excluded.includes(name.toLowerCase());
  }

  it('match exactly the web-served script files the rule covers', () => {
    expect(paths.length).toBe(47);
    let matched = 0;
    for (const path of paths) {
      const name = path.slice(path.lastIndexOf('\\') + 1);
      const event = {
        event: { category: ['file'], type: ['creation'] },
        process: { name: 'UMWorkerProcess.exe' },
        file: { path, name, extension: name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : undefined },
      };
      const hit = rule.matches(event);
      expect(hit, path).toBe(expected(path));
      if (hit) {
        matched++;
        expect(rule.prefilter.mayMatch(Buffer.from(JSON.stringify(event)))).toBe(true);
      }
    }
    console.info(`MSTIC paths: ${paths.length}, matched ${matched}`);
    expect(matched).toBeGreaterThan(30);
  });
});
