// Shared by the deployment tests: repository paths, the cached tools, YAML documents.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART = join(ROOT, 'helm/eql-stream');
export const HELM = join(ROOT, '.cache/bin/helm');

export const readText = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
export const readYaml = (path: string): unknown => parse(readText(path));

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Rendered objects of many kinds: tests index into them freely.
  spec?: any;
  data?: Record<string, string>;
}

export function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** `helm template` of the chart with extra arguments (values files, --set); throws with helm's output on failure. */
export function renderChart(...args: string[]): Manifest[] {
  const r = spawnSync(HELM, ['template', 'eql-stream', CHART, '--kube-version', '1.33.0', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest).filter((m) => m !== null);
}

export function only(manifests: readonly Manifest[], kind: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}
