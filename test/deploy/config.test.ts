// The deployment files speak the worker's configuration language: every
// EQL_STREAM_* variable they set is a setting of src/ops/config.ts, and the chart's
// defaults are the worker's defaults.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/ops/config.js';
import { CHART, readText, readYaml } from './helpers.js';

const known = new Set(SETTINGS.map((s) => s.env));
const defaultOf = (env: string): unknown => SETTINGS.find((s) => s.env === env)?.default;

const files = [
  'docker-compose.yml',
  'Dockerfile',
  'helm/eql-stream/values.yaml',
  'helm/eql-stream/ci/all-features-values.yaml',
  ...readdirSync(join(CHART, 'templates')).map((f) => `helm/eql-stream/templates/${f}`),
];

describe('EQL_STREAM_* names in the deployment files', () => {
  it.each(files)('%s names only settings the worker reads', (file) => {
    const names = [...readText(file).matchAll(/\bEQL_STREAM_[A-Z0-9_]+/g)].map((m) => m[0]);
    for (const name of names) expect(known, `${name} in ${file}`).toContain(name);
  });

  it('the chart sets the core settings', () => {
    const deployment = readText('helm/eql-stream/templates/deployment.yaml');
    for (const name of ['EQL_STREAM_BROKERS', 'EQL_STREAM_GROUP_ID', 'EQL_STREAM_ALERTS_TOPIC', 'EQL_STREAM_DEAD_LETTER_TOPIC', 'EQL_STREAM_RULES',
      'EQL_STREAM_METRICS_PORT', 'EQL_STREAM_SHUTDOWN_TIMEOUT_MS', 'EQL_STREAM_SASL_MECHANISM', 'EQL_STREAM_TLS_CA_FILE', 'EQL_STREAM_REGISTRY_URL']) {
      expect(deployment).toContain(`name: ${name}\n`);
    }
  });
});

describe('chart defaults', () => {
  const values = readYaml('helm/eql-stream/values.yaml') as {
    kafka: { groupId: string; alertsTopic: string; deadLetterTopic: string; sasl: { mechanism: string } };
    metrics: { port: number };
    config: { shutdownTimeoutMs: number; logLevel: string };
  };

  it('equal the worker defaults', () => {
    expect(values.kafka.groupId).toBe(defaultOf('EQL_STREAM_GROUP_ID'));
    expect(values.kafka.alertsTopic).toBe(defaultOf('EQL_STREAM_ALERTS_TOPIC'));
    expect(values.kafka.deadLetterTopic).toBe(defaultOf('EQL_STREAM_DEAD_LETTER_TOPIC'));
    expect(values.metrics.port).toBe(defaultOf('EQL_STREAM_METRICS_PORT'));
    expect(values.config.shutdownTimeoutMs).toBe(defaultOf('EQL_STREAM_SHUTDOWN_TIMEOUT_MS'));
    expect(values.config.logLevel).toBe(defaultOf('EQL_STREAM_LOG_LEVEL'));
  });

  it('offer exactly the SASL mechanisms and log levels the worker accepts', () => {
    const schema = readYaml('helm/eql-stream/values.schema.json') as {
      properties: { kafka: { properties: { sasl: { properties: { mechanism: { enum: string[] } } } } }; config: { properties: { logLevel: { enum: string[] } } } };
    };
    const enumOf = (env: string) => {
      const kind = SETTINGS.find((s) => s.env === env)?.kind;
      return kind?.type === 'enum' ? [...kind.values].sort() : [];
    };
    expect(schema.properties.kafka.properties.sasl.properties.mechanism.enum.sort()).toEqual(enumOf('EQL_STREAM_SASL_MECHANISM'));
    expect(schema.properties.config.properties.logLevel.enum.sort()).toEqual(enumOf('EQL_STREAM_LOG_LEVEL'));
  });
});
