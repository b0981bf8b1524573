// Static checks of the Dockerfile and .dockerignore (no Docker engine here): the
// build context holds what the build needs and nothing else, the runtime stage is
// small, non-root and signal-friendly, and the bundled rules sit where the loader looks.
import { existsSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { ROOT, readText, run } from './helpers.js';

interface Instruction { op: string; args: string }

function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined.split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const i = l.search(/\s/);
      return { op: l.slice(0, i).toUpperCase(), args: l.slice(i + 1).trim() };
    });
}

function stages(list: Instruction[]): { name: string; body: Instruction[] }[] {
  const out: { name: string; body: Instruction[] }[] = [];
  for (const ins of list) {
    if (ins.op === 'FROM') out.push({ name: /\bAS\s+(\S+)$/i.exec(ins.args)?.[1] ?? '', body: [] });
    else out.at(-1)?.body.push(ins);
  }
  return out;
}

/** Docker's .dockerignore rule: the last pattern matching the path or one of its parent folders decides. */
function ignoredBy(patterns: string[]): (path: string) => boolean {
  const rules = patterns.map((p) => {
    const negate = p.startsWith('!');
    const glob = posix.normalize(negate ? p.slice(1) : p).replace(/\/$/, '');
    return { negate, match: picomatch(glob, { dot: true }) };
  });
  return (path) => {
    const parts = path.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const r of rules) if (candidates.some((c) => r.match(c))) ignored = !r.negate;
    return ignored;
  };
}

/** The files of a fresh clone (tracked, or new and not git-ignored), plus node_modules as a local build has it. */
function checkoutFiles(): string[] {
  const r = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
  expect(r.status, r.output).toBe(0);
  return [...r.output.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f))), 'node_modules/kafkajs/package.json'];
}

const dockerfile = instructions(readText('Dockerfile'));
const [runtime] = stages(dockerfile).slice(-1);
const ignored = ignoredBy(readText('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
const checkout = checkoutFiles();
const context = checkout.filter((f) => !ignored(f));

describe('.dockerignore', () => {
  it('sends the sources, the lockfile and the compiler settings, and nothing else', () => {
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', ...checkout.filter((f) => f.startsWith('src/') && !f.endsWith('.test.ts'))];
    expect(context.sort()).toEqual(needed.sort());
    for (const f of ['node_modules/kafkajs/package.json', '.git/HEAD', '.cache/bin/helm', 'test/unit/deploy/dockerfile.test.ts', 'helm/eql-stream/values.yaml']) expect(ignored(f), f).toBe(true);
  });
});

describe('Dockerfile', () => {
  it('builds in separate stages and runs a slim runtime stage as uid 10001', () => {
    expect(stages(dockerfile).length).toBeGreaterThanOrEqual(3);
    expect(dockerfile.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args) && !/--omit=dev/.test(i.args))).toBe(true);
    expect(dockerfile.some((i) => i.op === 'RUN' && /\btsc -p tsconfig\.json\b/.test(i.args))).toBe(true);
    expect(runtime?.body.filter((i) => i.op === 'RUN')).toEqual([]);
    expect(runtime?.body.filter((i) => i.op === 'USER').map((i) => i.args)).toEqual(['10001:10001']);
  });

  it('starts node itself (exec form) so SIGTERM reaches the worker', () => {
    const entrypoint = runtime?.body.find((i) => i.op === 'ENTRYPOINT');
    expect(JSON.parse(entrypoint?.args ?? 'null')).toEqual(['node', 'dist/cli/main.js']);
    expect(JSON.parse(runtime?.body.find((i) => i.op === 'CMD')?.args ?? 'null')).toEqual(['run']);
  });

  it('copies only files that are in the build context', () => {
    const sources = dockerfile
      .filter((i) => (i.op === 'COPY' || i.op === 'ADD') && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      const path = src.replace(/\/$/, '');
      expect(statSync(join(ROOT, path), { throwIfNoEntry: false }), src).toBeDefined();
      expect(context.some((f) => f === path || f.startsWith(`${path}/`)), `${src} in the build context`).toBe(true);
    }
  });

  it('puts the bundled rules where the compiled loader looks for them', () => {
    const workdir = runtime?.body.find((i) => i.op === 'WORKDIR')?.args ?? '';
    const copies = runtime?.body.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--'))) ?? [];
    const dest = (src: string) => copies.find((c) => c[0] === src)?.[1];
    expect(dest('/app/dist')).toBe('./dist');
    // dist/rules/loader.js falls back to ../../src/rules/bundled/ (src/rules/loader.ts).
    expect(readText('src/rules/loader.ts')).toContain("new URL('../../src/rules/bundled/', import.meta.url)");
    const loaderDir = posix.join(workdir, 'dist/rules');
    expect(posix.join(workdir, dest('src/rules/bundled') ?? '')).toBe(posix.join(loaderDir, '../../src/rules/bundled'));
  });
});
