// `eql-stream scan` end to end: the same path as the worker, on the bundled events.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertId } from '../../../src/alerts/alert.js';
import { ROOT, cli, jsonLines } from './helpers.js';

const SEED = '6cd1779c-560f-4b68-a8f1-11009b27fe63';
const cases = JSON.parse(readFileSync(join(ROOT, 'sample-data/attacks/cases.json'), 'utf8')) as { id: string; expected: boolean }[];
const expectedLines = cases.flatMap((c, i) => (c.expected ? [i + 1] : []));

describe('eql-stream scan', () => {
  it.each(['ecs', 'winlogbeat', 'flat'])('alerts on exactly the expected crafted %s events, with the worker\'s alert ids', (shape) => {
    const topic = 'logs-windows.sysmon_operational-default';
    const r = cli(['scan', '--topic', topic, '--partition', '2', join('sample-data/attacks', `${shape}.ndjson`)]);
    expect(r.status, r.stderr).toBe(0);
    const alerts = jsonLines(r.stdout);
    expect(alerts.map((a) => a['kibana.alert.uuid'])).toEqual(
      expectedLines.map((line) => alertId(SEED, { topic, partition: 2, offset: String(line - 1) })),
    );
    for (const a of alerts) {
      expect(a['kibana.alert.rule.rule_id']).toBe(SEED);
      expect(a['event.kind']).toBe('signal');
      expect((a['process'] as { name: string }).name.toLowerCase()).toMatch(/^(umworkerprocess|umservice)\.exe$/);
    }
    expect(r.stderr).toMatch(new RegExp(`^scanned ${cases.length} events .*: ${expectedLines.length} alerts, 0 invalid lines`));
  });

  it('finds nothing in the 10,487 real OTRF events, rejecting most unparsed', () => {
    const r = cli(['scan', 'sample-data/public/flat/otrf-proxylogon-ssrf-rce-poc.ndjson']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const m = /^scanned 10487 events .*: 0 alerts, 0 invalid lines, (\d+) rejected unparsed/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10_000);
  });

  it('reports invalid lines with their numbers and reasons, and scans on', () => {
    const hit = readFileSync(join(ROOT, 'sample-data/attacks/ecs.ndjson'), 'utf8').split('\n')[0]!;
    const input = ['not json', '', '[1,2]', `${hit}\r`, '{"a":', 'x'.repeat(200), hit].join('\n');
    const r = cli(['scan', '--max-line-bytes', '150', '-'], input);
    expect(r.status).toBe(0);
    // The matching line is longer than 150 bytes too, so only the limit decides: both hits are oversized.
    expect(r.stderr).toContain('line 1: invalid_json');
    expect(r.stderr).toContain('line 3: not_an_object');
    expect(r.stderr).toContain('line 4: oversized');
    expect(r.stderr).toContain('line 5: invalid_json');
    expect(r.stderr).toContain('line 6: oversized');
    expect(r.stderr).not.toContain('line 2:');

    const big = cli(['scan', '-'], input);
    expect(jsonLines(big.stdout)).toHaveLength(2);
    expect(big.stderr).toMatch(/^scanned 6 events .*: 2 alerts, 4 invalid lines/);
  });

  it('applies only the rules whose index patterns cover --topic', () => {
    const r = cli(['scan', '--topic', 'firewall-logs', 'sample-data/attacks/ecs.ndjson']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no rule\'s index patterns cover topic firewall-logs');
  });

  it('refuses bad usage with exit status 2', () => {
    expect(cli(['scan', '--shape', 'xml', 'a.ndjson']).status).toBe(2);
    expect(cli(['scan', 'no-such-file.ndjson']).status).toBe(2);
    expect(cli(['scan', '--rule', 'no-such-rules', '-'], '').status).toBe(2);
    expect(cli(['scan', '--max-line-bytes', '-5', '-'], '').status).toBe(2);
  });

  it('scans on past a document nested too deep, and reads a line behind a byte-order mark', () => {
    const hit = readFileSync(join(ROOT, 'sample-data/attacks/ecs.ndjson'), 'utf8').split('\n')[0]!;
    const deep = `${hit.slice(0, -1)},"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = cli(['scan', '-'], ['\ufeff' + hit, deep, hit].join('\n'));
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(2);
    expect(r.stderr).toContain('line 2: too_deep');
  });

  it('stops quietly when its reader goes away', () => {
    const r = spawnSync('bash', ['-c', 'for i in $(seq 200); do cat sample-data/attacks/ecs.ndjson; done | node bin/eql-stream.js scan - | head -c 100 >/dev/null; echo "status ${PIPESTATUS[1]}"'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('status 0');
    expect(r.stderr).toBe('');
  });

  it('hints when --shape does not fit the events', () => {
    const r = cli(['scan', '--shape', 'winlogbeat', 'sample-data/attacks/flat.ndjson']);
    expect(r.stderr).toContain('parsed events do not look like --shape winlogbeat');
  });
});
