// The EQL function library as Elasticsearch evaluates it in scripts: any null
// argument gives null (except where the reference says otherwise), and a null
// condition never matches. `~` variants compare case-insensitively.
import type { FunctionName } from '../eql/ast.js';
import type { Leaf } from './fields.js';

export type Value = Leaf | null;

/** Call-site facts the evaluator needs besides argument values. */
export interface CallInfo {
  readonly caseInsensitive: boolean;
  /** Per argument: true when written as a float literal (`4.0`), which makes `divide` a float division. */
  readonly floatLiteral: readonly boolean[];
}

export const ARITY: Readonly<Record<FunctionName, readonly [number, number]>> = {
  add: [2, 2],
  between: [3, 4],
  cidrMatch: [2, Infinity],
  concat: [1, Infinity],
  divide: [2, 2],
  endsWith: [2, 2],
  indexOf: [2, 3],
  length: [1, 1],
  modulo: [2, 2],
  multiply: [2, 2],
  number: [1, 2],
  startsWith: [2, 2],
  string: [1, 1],
  stringContains: [2, 2],
  substring: [2, 3],
  subtract: [2, 2],
};

const num = (v: Value): number | null => (typeof v === 'number' ? v : null);
const str = (v: Value): string | null => (v === null ? null : typeof v === 'string' ? v : String(v));
const fold = (s: string, ci: boolean): string => (ci ? s.toLowerCase() : s);

function arith(a: Value, b: Value, f: (x: number, y: number) => number | null): Value {
  const x = num(a);
  const y = num(b);
  return x === null || y === null ? null : f(x, y);
}

export function callFunction(name: FunctionName, args: readonly Value[], info: CallInfo): Value {
  const ci = info.caseInsensitive;
  const [a = null, b = null, c = null, d = null] = args;
  switch (name) {
    case 'add':
      return arith(a, b, (x, y) => x + y);
    case 'subtract':
      return arith(a, b, (x, y) => x - y);
    case 'multiply':
      return arith(a, b, (x, y) => x * y);
    case 'divide':
      return arith(a, b, (x, y) => {
        if (y === 0) return null; // Elasticsearch fails the search; a stream cannot, so the call yields null
        const integral = Number.isInteger(x) && Number.isInteger(y) && !info.floatLiteral[0] && !info.floatLiteral[1];
        return integral ? Math.trunc(x / y) : x / y;
      });
    case 'modulo':
      return arith(a, b, (x, y) => (y === 0 ? null : x % y));
    case 'length': {
      const s = str(a);
      return s === null ? null : s.length;
    }
    case 'string':
      return str(a);
    case 'concat':
      return args.some((v) => v === null) ? null : args.map((v) => str(v)).join('');
    case 'startsWith':
    case 'endsWith':
    case 'stringContains': {
      const s = str(a);
      const t = str(b);
      if (s === null || t === null) return null;
      const [x, y] = [fold(s, ci), fold(t, ci)];
      if (name === 'startsWith') return x.startsWith(y);
      if (name === 'endsWith') return x.endsWith(y);
      return y.length > 0 && x.includes(y);
    }
    case 'indexOf': {
      const s = str(a);
      const t = str(b);
      if (s === null || t === null || (args.length > 2 && c === null)) return null;
      const start = Math.max(0, num(c) ?? 0);
      if (start > s.length) return null;
      const at = fold(s, ci).indexOf(fold(t, ci), start);
      return at < 0 ? null : at;
    }
    case 'between': {
      const s = str(a);
      const left = str(b);
      const right = str(c);
      if (s === null || left === null || right === null) return null;
      const [x, l, r] = [fold(s, ci), fold(left, ci), fold(right, ci)];
      const at = x.indexOf(l);
      if (at < 0) return '';
      const from = at + l.length;
      const end = d === true ? x.lastIndexOf(r) : x.indexOf(r, from);
      return end < from ? '' : s.slice(from, end);
    }
    case 'substring': {
      const s = str(a);
      const start = num(b);
      if (s === null || start === null) return null;
      const end = args.length > 2 ? num(c) : s.length;
      if (end === null) return null;
      const norm = (i: number): number => Math.min(s.length, i < 0 ? Math.max(0, s.length + i) : i);
      const [from, to] = [norm(start), norm(end)];
      return from >= to ? '' : s.slice(from, to);
    }
    case 'number':
      return parseNumber(a, args.length > 1 ? b : null);
    case 'cidrMatch': {
      if (args.some((v) => v === null)) return null;
      const ip = parseIp(str(a)!);
      if (ip === undefined) return false;
      return args.slice(1).some((cidr) => inCidr(ip, str(cidr)!));
    }
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^([+-]?)(0x)?([0-9a-z]+)$/i;

function parseNumber(v: Value, base: Value): Value {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  const m = INTEGER.exec(s);
  const radix = num(base) ?? (m?.[2] !== undefined ? 16 : 10);
  if (radix === 10 && m?.[2] === undefined) return DECIMAL.test(s) ? Number(s) : null;
  if (m === null || radix < 2 || radix > 36 || (m[2] !== undefined && radix !== 16)) return null;
  const digits = m[3]!;
  // parseInt stops at the first invalid digit; Elasticsearch rejects the whole string.
  if ([...digits].some((ch) => parseInt(ch, 36) >= radix)) return null;
  const n = parseInt(digits, radix);
  return m[1] === '-' ? -n : n;
}

/** An IP address as 16 bytes (IPv4 mapped into IPv6, as Elasticsearch's ip type stores it). */
export function parseIp(s: string): Uint8Array | undefined {
  const v4 = parseIpv4(s);
  if (v4 !== undefined) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  return parseIpv6(s);
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function inCidr(ip: Uint8Array, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  const net = parseIp(slash < 0 ? cidr : cidr.slice(0, slash));
  if (net === undefined) return false;
  const isV4 = parseIpv4(slash < 0 ? cidr : cidr.slice(0, slash)) !== undefined;
  let bits = slash < 0 ? 128 : Number(cidr.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > (isV4 ? 32 : 128)) return false;
  if (isV4) bits += 96;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const m = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i]! & m) !== (net[i]! & m)) return false;
  }
  return true;
}
