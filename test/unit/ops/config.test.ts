import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, SETTINGS, loadConfig, redactConfig } from '../../../src/ops/config.js';

const dir = mkdtempSync(join(tmpdir(), 'eql-config-'));
const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
};

describe('loadConfig', () => {
  it('gives working defaults with no input', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.topics).toEqual([]);
    expect(config.exactlyOnce).toBe(false);
    expect(config.transactionalId).toMatch(/^eql-stream-/);
  });

  it('reads environment variables with types', () => {
    const { config } = loadConfig({
      env: {
        EQL_STREAM_BROKERS: 'a:1, b:2',
        EQL_STREAM_TOPICS: 'logs-windows.sysmon_operational-default,winlogbeat-x',
        EQL_STREAM_CONCURRENCY: '4',
        EQL_STREAM_EXACTLY_ONCE: 'yes',
        EQL_STREAM_TOPIC_SHAPES: 'winlogbeat-*=winlogbeat, flat-*=flat',
        EQL_STREAM_SASL_MECHANISM: 'SCRAM-SHA-512',
        EQL_STREAM_SASL_USERNAME: 'u',
        EQL_STREAM_SASL_PASSWORD: 'p',
      },
    });
    expect(config.brokers).toEqual(['a:1', 'b:2']);
    expect(config.topics).toHaveLength(2);
    expect(config.concurrency).toBe(4);
    expect(config.exactlyOnce).toBe(true);
    expect(config.topicShapes).toEqual([{ pattern: 'winlogbeat-*', value: 'winlogbeat' }, { pattern: 'flat-*', value: 'flat' }]);
    expect(config.saslMechanism).toBe('scram-sha-512');
  });

  it('layers file < environment < flags', () => {
    const file = join(dir, 'c.toml');
    writeFileSync(file, 'groupId = "from-file"\nconcurrency = 3\nalertsTopic = "file-alerts"\n');
    const { config } = loadConfig({ file, env: { EQL_STREAM_CONCURRENCY: '5' }, overrides: { alertsTopic: 'flag-alerts' } });
    expect(config.groupId).toBe('from-file');
    expect(config.concurrency).toBe(5);
    expect(config.alertsTopic).toBe('flag-alerts');
  });

  it('reads JSON files too', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ brokers: ['x:9'], prefilter: false }));
    const { config } = loadConfig({ file, env: {} });
    expect(config.brokers).toEqual(['x:9']);
    expect(config.prefilter).toBe(false);
  });

  it('collects every problem with the setting that caused it', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          EQL_STREAM_CONCURRENCY: 'many',
          EQL_STREAM_EXACTLY_ONCE: 'maybe',
          EQL_STREAM_BROKERS: 'nohostport',
          EQL_STREAM_SASL_MECHANISM: 'gssapi',
          EQL_STREAM_REGISTRY_URL: 'ftp://x',
          EQL_STREAM_SHAPE: 'xml',
          EQL_STREAM_METRICS_PORT: '70000',
        },
      }),
    );
    expect(problems.join('\n')).toMatch(/EQL_STREAM_CONCURRENCY: expected an integer/);
    expect(problems.join('\n')).toMatch(/EQL_STREAM_EXACTLY_ONCE: expected true or false/);
    expect(problems.join('\n')).toMatch(/"nohostport" is not host:port/);
    expect(problems.join('\n')).toMatch(/EQL_STREAM_SASL_MECHANISM: expected one of plain, scram-sha-256, scram-sha-512/);
    expect(problems.join('\n')).toMatch(/EQL_STREAM_REGISTRY_URL: expected an http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/EQL_STREAM_SHAPE/);
    expect(problems.join('\n')).toMatch(/EQL_STREAM_METRICS_PORT/);
  });

  it('rejects inconsistent combinations', () => {
    expect(problemsOf(() => loadConfig({ env: { EQL_STREAM_SASL_MECHANISM: 'plain' } })).join()).toMatch(/USERNAME and EQL_STREAM_SASL_PASSWORD are required/);
    expect(problemsOf(() => loadConfig({ env: { EQL_STREAM_TLS_CERT_FILE: '/x' } })).join()).toMatch(/go together/);
    expect(problemsOf(() => loadConfig({ env: { EQL_STREAM_ALERTS_TOPIC: 't', EQL_STREAM_DEAD_LETTER_TOPIC: 't' } })).join()).toMatch(/must differ/);
    expect(problemsOf(() => loadConfig({ env: { EQL_STREAM_TOPICS: 'eql-stream-alerts' } })).join()).toMatch(/also an output topic/);
    expect(problemsOf(() => loadConfig({ env: { EQL_STREAM_HEARTBEAT_INTERVAL_MS: '20000' } })).join()).toMatch(/a third/);
  });

  it('names unreadable TLS files and unknown keys in files', () => {
    expect(problemsOf(() => loadConfig({ env: { EQL_STREAM_TLS_CA_FILE: join(dir, 'missing.pem') } })).join()).toMatch(/EQL_STREAM_TLS_CA_FILE: cannot read .*ENOENT/);
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"brokerz": ["a:1"]}');
    expect(problemsOf(() => loadConfig({ file, env: {} })).join()).toMatch(/unknown setting "brokerz"/);
    writeFileSync(file, '{"brokers": ');
    expect(problemsOf(() => loadConfig({ file, env: {} })).join()).toMatch(/cannot parse config file/);
  });

  it('reads TLS material and implies TLS', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    const { config, tlsMaterial } = loadConfig({ env: { EQL_STREAM_TLS_CA_FILE: ca } });
    expect(config.tls).toBe(true);
    expect(tlsMaterial.ca).toContain('BEGIN CERTIFICATE');
  });

  it('never exposes secrets when redacted', () => {
    const { config } = loadConfig({
      env: {
        EQL_STREAM_SASL_MECHANISM: 'plain', EQL_STREAM_SASL_USERNAME: 'user', EQL_STREAM_SASL_PASSWORD: 's3cret-sasl',
        EQL_STREAM_REGISTRY_URL: 'http://reg:pw-in-url@127.0.0.1:8081', EQL_STREAM_REGISTRY_USERNAME: 'r', EQL_STREAM_REGISTRY_PASSWORD: 's3cret-reg',
      },
    });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('pw-in-url');
    expect(text).toContain('user');
  });
});

describe('docs/configuration.md', () => {
  it('documents every environment variable', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const missing = SETTINGS.filter((s) => !doc.includes(s.env) || !doc.includes(`\`${s.key}\``)).map((s) => s.env);
    expect(missing).toEqual([]);
  });
});
