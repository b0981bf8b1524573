// docker-compose.yml agrees with the local scripts and the worker: the broker
// settings mirror scripts/services.sh, the sample producer writes the topics the
// worker reads (each covered by the bundled rule and given its input shape), and
// Prometheus and Grafana load the chart's own rule and dashboard files.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { coverMatcher, valueForTopic } from '../../src/pipeline/topics.js';
import { ROOT, readText, readYaml } from './helpers.js';

interface Service {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  read_only?: boolean;
  stop_grace_period?: string;
}
const compose = readYaml('docker-compose.yml') as { services: Record<string, Service> };
const service = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const workerEnv = service('worker').environment ?? {};

// Settings that name this machine's addresses or folders, so legitimately differ in a container.
const LOCAL_ONLY = new Set(['controller.quorum.voters', 'listeners', 'advertised.listeners', 'listener.security.protocol.map', 'log.dirs']);

function servicesShProperties(): Map<string, string> {
  const script = readText('scripts/services.sh');
  const heredoc = /cat >"\$KAFKA_STATE\/server\.properties" <<EOF\n([\s\S]*?)\nEOF\n/.exec(script);
  if (!heredoc) throw new Error('scripts/services.sh: server.properties heredoc not found');
  const props = new Map<string, string>();
  for (const line of heredoc[1]!.split('\n')) {
    const m = /^([a-z][a-z0-9._-]*)=(.*)$/.exec(line);
    if (m) props.set(m[1]!, m[2]!);
  }
  return props;
}

describe('docker-compose.yml', () => {
  it('runs the broker with the settings of scripts/services.sh', () => {
    const props = servicesShProperties();
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    const env = service('kafka').environment ?? {};
    for (const [key, value] of props) {
      if (LOCAL_ONLY.has(key)) continue;
      const name = `KAFKA_${key.toUpperCase().replace(/[.-]/g, '_')}`;
      expect(env[name], `${name} (${key} in scripts/services.sh)`).toBe(value);
    }
  });

  it('uses the Kafka version the local scripts fetch', () => {
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readText('scripts/kafka/pom.xml'))?.[1];
    expect(version).toBeDefined();
    for (const name of ['kafka', 'topics', 'producer', 'alerts']) expect(service(name).image).toBe(`apache/kafka:${version}`);
  });

  it('produces the samples to the topics the worker reads, each covered by the bundled rule, in its shape', () => {
    const script = readText('deploy/compose/samples.sh');
    const topicOfShape = Object.fromEntries(
      [...script.matchAll(/^(ECS|WINLOGBEAT|FLAT)_TOPIC=(\S+)$/gm)].map((m) => [m[1]!.toLowerCase(), m[2]!]),
    );
    expect(Object.keys(topicOfShape).sort()).toEqual(['ecs', 'flat', 'winlogbeat']);
    // Every shape folder of sample-data has a topic.
    expect(readdirSync(join(ROOT, 'sample-data/public')).sort()).toEqual(Object.keys(topicOfShape).sort());

    const topics = (workerEnv.EQL_STREAM_TOPICS ?? '').split(',');
    expect(topics.sort()).toEqual(Object.values(topicOfShape).sort());

    const shapes = (workerEnv.EQL_STREAM_TOPIC_SHAPES ?? '').split(',').map((e) => {
      const [pattern, value] = e.split('=') as [string, 'ecs' | 'winlogbeat' | 'flat'];
      return { pattern, value };
    });
    const bundled = readdirSync(join(ROOT, 'src/rules/bundled')).filter((f) => f.endsWith('.toml'));
    const index = bundled.flatMap((f) => (parseToml(readText(`src/rules/bundled/${f}`)) as { rule: { index: string[] } }).rule.index);
    const covered = coverMatcher(index);
    for (const [shape, topic] of Object.entries(topicOfShape)) {
      expect(covered(topic), `${topic} covered by ${index.join(', ')}`).toBe(true);
      expect(valueForTopic(topic, shapes, 'auto')).toBe(shape);
    }
  });

  it('runs the worker as in Kubernetes: read-only root, a shutdown grace above its budget', () => {
    const worker = service('worker');
    expect(worker.read_only).toBe(true);
    const graceSeconds = Number(/^(\d+)s$/.exec(worker.stop_grace_period ?? '')?.[1]);
    expect(graceSeconds * 1000).toBeGreaterThan(Number(workerEnv.EQL_STREAM_SHUTDOWN_TIMEOUT_MS));
  });

  it('loads the alert rules and the dashboard from the chart, so they cannot drift', () => {
    expect(service('prometheus').volumes).toContain('./helm/eql-stream/files/prometheus-rules.yaml:/etc/prometheus/rules/eql-stream.yaml:ro');
    expect(service('grafana').volumes).toContain('./helm/eql-stream/files/dashboards:/var/lib/grafana/dashboards:ro');
    const prometheus = readYaml('deploy/prometheus/prometheus.yml') as { rule_files: string[]; scrape_configs: { static_configs: { targets: string[] }[] }[] };
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/rules/*.yaml']);
    expect(prometheus.scrape_configs[0]?.static_configs[0]?.targets).toEqual([`worker:${workerEnv.EQL_STREAM_METRICS_PORT}`]);
  });
});
