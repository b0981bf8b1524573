// Small string conversions the Elastic ingest pipelines apply to Windows event data.
// Each reproduces the pipeline's behaviour, quirks included, in linear time without regular
// expressions that could backtrack on attacker-controlled input.

/** Sysmon pipeline `getProcessName`: the part after the last backslash; none when there is no backslash. */
export function lastPathPart(path: string): string | undefined {
  const idx = path.lastIndexOf('\\');
  if (idx < 0) return undefined;
  const name = path.slice(idx + 1);
  return name === '' ? undefined : name;
}

/** Security pipeline `splitOnToken("\\")[-1]`: the last part, the whole string when there is no backslash. */
export function lastSplitPart(path: string): string {
  return path.slice(path.lastIndexOf('\\') + 1);
}

export interface FileParts {
  readonly name: string;
  readonly directory: string;
  /** As the pipeline does it: everything after the last '.' of the whole path, case kept. */
  readonly extension: string | undefined;
}

/** Sysmon pipeline "Adds file information": only for paths with a backslash and longer than one character. */
export function fileParts(path: string): FileParts | undefined {
  if (path.length <= 1) return undefined;
  const idx = path.lastIndexOf('\\');
  if (idx < 0) return undefined;
  const dot = path.lastIndexOf('.');
  return {
    name: path.slice(idx + 1),
    directory: path.slice(0, idx),
    extension: dot < 0 ? undefined : path.slice(dot + 1),
  };
}

/**
 * Sysmon `Hashes` ("SHA1=AB…,MD5=CD…,IMPHASH=…") as lower-case algorithm → lower-case value,
 * skipping empty and all-zero values (the pipeline's kv + hashIsEmpty script).
 */
export function parseHashes(hashes: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of hashes.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = pair.slice(eq + 1).toLowerCase();
    if (isAllZero(value)) continue;
    out.set(pair.slice(0, eq).toLowerCase(), value);
  }
  return out;
}

function isAllZero(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/**
 * Windows `CommandLineToArgvW` rules as the Sysmon pipeline implements them (ported there from Go's
 * `commandLineToArgv`): quotes group and are removed, backslashes escape quotes, `""` inside quotes is a quote.
 */
export function splitCommandLineWindows(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = cmd.length;
  while (i < n) {
    const c = cmd[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    let arg = '';
    let inQuote = false;
    let slashes = 0;
    for (; i < n; i++) {
      const ch = cmd[i] as string;
      if ((ch === ' ' || ch === '\t') && !inQuote) break;
      if (ch === '"') {
        arg += '\\'.repeat(slashes >> 1);
        if (slashes % 2 === 0) {
          if (inQuote && cmd[i + 1] === '"') {
            arg += '"';
            i++;
          }
          inQuote = !inQuote;
        } else arg += '"';
        slashes = 0;
        continue;
      }
      if (ch === '\\') {
        slashes++;
        continue;
      }
      arg += '\\'.repeat(slashes) + ch;
      slashes = 0;
    }
    arg += '\\'.repeat(slashes);
    args.push(arg);
    if (i < n) i++; // the separator that ended the argument
  }
  return args;
}

/**
 * The Security pipeline's 4688 splitter: whitespace outside double quotes separates, quotes are kept,
 * and consecutive separators yield empty arguments (as the pipeline's loop does).
 */
export function splitCommandLineSecurity(cmd: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd.charCodeAt(i);
    if (ch === 34) inQuote = !inQuote;
    if (isJavaWhitespace(ch) && !inQuote) {
      out.push(cmd.slice(start, i));
      start = i + 1;
    }
    if (i === cmd.length - 1) out.push(cmd.slice(start, i + 1));
  }
  return out;
}

function isJavaWhitespace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
}

function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Sysmon `UtcTime` ("2019-07-18 03:34:01.239", UTC) as an ISO-8601 timestamp; undefined when malformed. */
export function sysmonUtcTime(s: string): string | undefined {
  if (s.length !== 23 || s[4] !== '-' || s[7] !== '-' || s[10] !== ' ' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.') {
    return undefined;
  }
  if (!isDigits(s, 0, 4) || !isDigits(s, 5, 7) || !isDigits(s, 8, 10) || !isDigits(s, 11, 13) || !isDigits(s, 14, 16)) {
    return undefined;
  }
  if (!isDigits(s, 17, 19) || !isDigits(s, 20, 23)) return undefined;
  const iso = `${s.slice(0, 10)}T${s.slice(11)}Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** An ISO-8601 time with any fraction, as Elasticsearch stores a parsed `date` (millisecond precision, UTC). */
export function isoMillis(s: string): string | undefined {
  if (s.length > 64) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Ingest `convert` to long: a plain decimal integer, else nothing (the processors ignore failures). */
export function toLong(s: string): number | undefined {
  const t = s.trim();
  if (t === '' || t.length > 20) return undefined;
  let i = t[0] === '-' || t[0] === '+' ? 1 : 0;
  if (i === t.length) return undefined;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Java `Long.decode`: decimal, `0x`/`#` hex or leading-zero octal. */
export function decodeLong(s: string): number | undefined {
  let t = s.trim();
  if (t === '' || t.length > 20) return undefined;
  let sign = 1;
  if (t[0] === '-' || t[0] === '+') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  let radix = 10;
  if (t.startsWith('0x') || t.startsWith('0X')) {
    radix = 16;
    t = t.slice(2);
  } else if (t.startsWith('#')) {
    radix = 16;
    t = t.slice(1);
  } else if (t.length > 1 && t[0] === '0') {
    radix = 8;
    t = t.slice(1);
  }
  if (t === '') return undefined;
  const digits = radix === 16 ? '0123456789abcdef' : radix === 8 ? '01234567' : '0123456789';
  let n = 0;
  for (const ch of t.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return undefined;
    n = n * radix + d;
  }
  return Number.isSafeInteger(n) ? sign * n : undefined;
}

/** Ingest `convert` to ip: accepts IPv4 dotted quads and IPv6 text (with optional zone), else nothing. */
export function toIp(s: string): string | undefined {
  if (s.length === 0 || s.length > 64) return undefined;
  if (s.includes(':')) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const ok = c === 58 || c === 46 || c === 37 || (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
      if (!ok) return undefined;
    }
    return s;
  }
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  for (const p of parts) {
    if (p === '' || p.length > 3 || !isDigits(p, 0, p.length) || Number(p) > 255) return undefined;
  }
  return s;
}

/** Strips an IPv4-mapped IPv6 prefix (`::ffff:1.2.3.4`, optionally bracketed with a port), as the DNS gsub does. */
export function unmapIpv4(s: string): string {
  let t = s;
  if (t.startsWith('[')) t = t.slice(1);
  if (!t.startsWith('::ffff:')) return s;
  t = t.slice(7);
  const end = t.indexOf(']');
  const v4 = end >= 0 ? t.slice(0, end) : t;
  return toIp(v4) !== undefined && !v4.includes(':') ? v4 : s;
}
