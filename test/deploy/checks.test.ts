// Runs scripts/deploy-checks/check.sh (helm lint and template, Kubernetes schema
// validation, promtool, docker-compose) and checks what the rendered chart does.
// The tools are installed first; if that fails, these tests fail: they never skip.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART, ROOT, only, renderChart, run, type Manifest } from './helpers.js';

const ALL_FEATURES = join(CHART, 'ci/all-features-values.yaml');

beforeAll(() => {
  const r = run('bash', ['scripts/deploy-checks/install.sh']);
  if (r.status !== 0) throw new Error(`installing the deployment tools failed:\n${r.output}`);
}, 40 * 60_000);

describe('scripts/deploy-checks/check.sh', () => {
  for (const step of ['chart', 'rules-copy', 'alert-rules', 'compose', 'image']) {
    it(`passes step ${step}`, () => {
      const r = run('bash', ['scripts/deploy-checks/check.sh', step]);
      expect(r.status, r.output).toBe(0);
    }, 10 * 60_000);
  }
});

describe('the rendered chart', () => {
  const envOf = (d: Manifest): { name: string; value?: string; valueFrom?: Record<string, unknown> }[] => d.spec.template.spec.containers[0].env;

  it('rolls one pod at a time and gives the worker more time than its shutdown budget', () => {
    for (const args of [[], ['-f', ALL_FEATURES]]) {
      const d = only(renderChart(...args), 'Deployment');
      expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      const budgetMs = Number(envOf(d).find((e) => e.name === 'EQL_STREAM_SHUTDOWN_TIMEOUT_MS')?.value);
      expect(budgetMs).toBeGreaterThan(0);
      expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(budgetMs);
    }
  });

  it('runs the worker locked down, with /tmp the only writable place', () => {
    const pod = only(renderChart(), 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const writable = c.volumeMounts.filter((m: { readOnly?: boolean }) => !m.readOnly).map((m: { mountPath: string }) => m.mountPath);
    expect(writable).toEqual(['/tmp']);
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
  });

  it('takes credentials only from existing Secrets', () => {
    const manifests = renderChart('-f', ALL_FEATURES);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const env = envOf(only(manifests, 'Deployment'));
    for (const name of ['EQL_STREAM_SASL_PASSWORD', 'EQL_STREAM_SASL_USERNAME', 'EQL_STREAM_REGISTRY_PASSWORD']) {
      const e = env.find((x) => x.name === name);
      expect(e?.valueFrom, name).toHaveProperty('secretKeyRef');
      expect(e?.value, name).toBeUndefined();
    }
    const auth = only(manifests, 'TriggerAuthentication');
    expect(auth.spec.secretTargetRef.map((r: { parameter: string }) => r.parameter).sort()).toEqual(['ca', 'cert', 'key', 'password', 'username']);
  });

  it('scales with KEDA between minReplicaCount and the partition count, on the group and topic the worker uses', () => {
    const values = parse(readFileSync(ALL_FEATURES, 'utf8'));
    const manifests = renderChart('-f', ALL_FEATURES);
    const so = only(manifests, 'ScaledObject');
    expect(so.spec.maxReplicaCount).toBe(values.kafka.partitions);
    expect(so.spec.minReplicaCount).toBe(values.autoscaling.keda.minReplicaCount);
    const trigger = so.spec.triggers[0];
    const env = envOf(only(manifests, 'Deployment'));
    expect(trigger.metadata.bootstrapServers).toBe(env.find((e) => e.name === 'EQL_STREAM_BROKERS')?.value);
    expect(trigger.metadata.consumerGroup).toBe(env.find((e) => e.name === 'EQL_STREAM_GROUP_ID')?.value);
    expect(trigger.metadata.topic).toBe(values.kafka.topics[0]);
    expect(trigger.metadata.sasl).toBe('scram_sha512');
    expect(manifests.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(only(manifests, 'Deployment').spec.replicas).toBeUndefined();
  });

  it('ships the bundled rules byte for byte, plus the rules from values', () => {
    const values = parse(readFileSync(ALL_FEATURES, 'utf8'));
    const cm = renderChart('-f', ALL_FEATURES).find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-rules'))!;
    const bundled = readdirSync(join(ROOT, 'src/rules/bundled')).filter((f) => f.endsWith('.toml'));
    expect(bundled.length).toBeGreaterThan(0);
    for (const file of bundled) expect(cm.data?.[file], file).toBe(readFileSync(join(ROOT, 'src/rules/bundled', file), 'utf8'));
    for (const [file, text] of Object.entries(values.rules.extra)) expect(cm.data?.[file]).toBe(text);
  });

  it('ships the dashboard for the Grafana sidecar and the alert rules file as the PrometheusRule', () => {
    const manifests = renderChart('-f', ALL_FEATURES);
    const dash = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-dashboard'))!;
    expect(dash.metadata.labels?.grafana_dashboard).toBe('1');
    expect(dash.data?.['eql-stream.json']).toBe(readFileSync(join(CHART, 'files/dashboards/eql-stream.json'), 'utf8'));
    expect(only(manifests, 'PrometheusRule').spec).toEqual(parse(readFileSync(join(CHART, 'files/prometheus-rules.yaml'), 'utf8')));
  });

  it('lets the pods talk only to DNS, the brokers and the registry', () => {
    const np = only(renderChart('-f', ALL_FEATURES), 'NetworkPolicy');
    const ports = np.spec.egress.map((rule: { ports: { port: number }[] }) => rule.ports.map((p) => p.port));
    expect(ports).toEqual([[53, 53], [9093], [8081]]);
    expect(np.spec.ingress).toHaveLength(1);
    expect(np.spec.ingress[0].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
  });

  it('renders only the optional objects that are switched on', () => {
    const kinds = renderChart().map((m) => m.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    const hpa = only(renderChart('--set', 'autoscaling.hpa.enabled=true'), 'HorizontalPodAutoscaler');
    expect(hpa.spec.maxReplicas).toBe(parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')).kafka.partitions);
  });
});
