// Sysmon event data → ECS, as Elastic's sysmon_operational ingest pipeline does it.
// Source: elastic/integrations packages/windows/data_stream/sysmon_operational/elasticsearch/ingest_pipeline/default.yml
// Where the pipeline `rename`s several event-data fields to one target, the first present wins
// (a rename onto an existing field fails and is ignored); where it `convert`s, the last one wins.
import type { DerivedDoc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import type { RawWindowsEvent } from './raw-event.js';
import {
  DNS_TYPES, EMPTY_VALUES, FILE_HASH_EVENTS, PROCESS_HASH_EVENTS, REGISTRY_EVENTS, REGISTRY_HIVES, SYSMON_EVENTS,
} from './sysmon-tables.js';
import {
  fileParts, isoMillis, lastPathPart, parseHashes, splitCommandLineWindows, sysmonUtcTime, toIp, toLong, unmapIpv4,
} from './windows-strings.js';
import { setCategorisation } from './categorise.js';

/** Longest command line Windows accepts; longer values are not split into arguments. */
const MAX_COMMAND_LINE = 32_768;

export function mapSysmon(raw: RawWindowsEvent, out: DerivedDoc, g: Groups): void {
  const v = new SysmonValues(raw);
  const code = raw.eventId ?? '';

  out.set('event.kind', 'event');
  out.set('event.code', code);
  out.set('event.module', 'sysmon');
  setCategorisation(out, SYSMON_EVENTS[code]);
  if (g.timestamps) {
    const utc = v.get('UtcTime');
    out.set('@timestamp', utc === undefined ? undefined : sysmonUtcTime(utc));
    out.set('event.created', raw.timeCreated === undefined ? undefined : isoMillis(raw.timeCreated));
  }
  out.set('rule.name', v.get('RuleName'));
  if (code === '25') out.set('message', v.get('Type'));
  if (code === '255') out.set('error.code', v.get('ID'));

  if (g.process) mapProcess(v, out);
  if (g.args) mapArgs(v, out);
  if (g.pe) mapPe(v, code, out);
  if (g.hashes) mapHashes(v, code, out, g.related);
  if (g.file) mapFile(v, out);
  if (g.dns) mapDns(v, out, g.related);
  if (g.network) mapNetwork(v, code, out);
  if (g.user) mapUser(v, raw.userSid, out, g.related);
  if (g.related) {
    out.appendUnique('related.ip', out.get('source.ip'));
    out.appendUnique('related.ip', out.get('destination.ip'));
  }
  if (g.registry && REGISTRY_EVENTS.has(code)) mapRegistry(v, out);
  if (g.sysmon) {
    out.set('sysmon.file.archived', toBoolean(v.get('Archived')));
    out.set('sysmon.file.is_executable', toBoolean(v.get('IsExecutable')));
  }
}

/** Event-data values as the pipeline sees them after its first script removed the empty ones. */
class SysmonValues {
  constructor(private readonly raw: RawWindowsEvent) {}

  get(name: string): string | undefined {
    const s = this.raw.data(name);
    return s === undefined || EMPTY_VALUES.has(s) ? undefined : s;
  }
}

type Lookup = SysmonValues;

function mapProcess(v: Lookup, out: DerivedDoc): void {
  out.set('process.entity_id', v.get('ProcessGuid') ?? v.get('SourceProcessGuid') ?? v.get('SourceProcessGUID'));
  out.set('process.pid', toLongOf(v.get('SourceProcessId')) ?? toLongOf(v.get('ProcessId')));
  out.set('process.thread.id', toLongOf(v.get('SourceThreadId')));
  const executable = v.get('Image') ?? v.get('SourceImage') ?? v.get('Destination');
  out.set('process.executable', executable);
  out.set('process.command_line', v.get('CommandLine'));
  out.set('process.working_directory', v.get('CurrentDirectory'));
  out.set('process.parent.entity_id', v.get('ParentProcessGuid'));
  out.set('process.parent.pid', toLongOf(v.get('ParentProcessId')));
  const parent = v.get('ParentImage');
  out.set('process.parent.executable', parent);
  out.set('process.parent.command_line', v.get('ParentCommandLine'));
  // "Adds process name information": no name when the path has no backslash (Image "System").
  if (executable !== undefined && executable.length > 1) out.set('process.name', lastPathPart(executable));
  if (parent !== undefined && parent.length > 1) out.set('process.parent.name', lastPathPart(parent));
}

function mapArgs(v: Lookup, out: DerivedDoc): void {
  for (const [field, prefix] of [['CommandLine', 'process'], ['ParentCommandLine', 'process.parent']] as const) {
    const cmd = v.get(field);
    if (cmd === undefined || cmd.length > MAX_COMMAND_LINE) continue;
    const args = splitCommandLineWindows(cmd);
    out.set(`${prefix}.args`, args);
    out.set(`${prefix}.args_count`, args.length);
  }
}

const PE_FIELDS = [
  ['OriginalFileName', 'original_file_name'],
  ['Company', 'company'],
  ['Description', 'description'],
  ['FileVersion', 'file_version'],
  ['Product', 'product'],
] as const;

function mapPe(v: Lookup, code: string, out: DerivedDoc): void {
  // Event 7 (image load) describes the loaded file; every other event the process.
  const target = code === '7' ? 'file.pe' : 'process.pe';
  for (const [field, ecs] of PE_FIELDS) out.set(`${target}.${ecs}`, v.get(field));
  out.set('file.code_signature.subject_name', v.get('Signature'));
  const status = v.get('SignatureStatus');
  out.set('file.code_signature.status', status);
  if (status === 'Valid') out.set('file.code_signature.valid', true);
}

function mapHashes(v: Lookup, code: string, out: DerivedDoc, related: boolean): void {
  const text = v.get('Hashes') ?? v.get('Hash');
  if (text === undefined) return;
  const hashes = parseHashes(text);
  const target = PROCESS_HASH_EVENTS.has(code) ? 'process' : FILE_HASH_EVENTS.has(code) ? 'file' : undefined;
  for (const [algorithm, value] of hashes) {
    if (target !== undefined) out.set(algorithm === 'imphash' ? `${target}.pe.imphash` : `${target}.hash.${algorithm}`, value);
    if (related) out.appendUnique('related.hash', value);
  }
}

function mapFile(v: Lookup, out: DerivedDoc): void {
  const path = v.get('TargetFilename') ?? v.get('Device') ?? v.get('ImageLoaded');
  out.set('file.path', path);
  if (path === undefined) {
    out.set('file.name', v.get('PipeName'));
    return;
  }
  const parts = fileParts(path);
  if (parts === undefined) return;
  out.set('file.name', parts.name);
  out.set('file.directory', parts.directory);
  out.set('file.extension', parts.extension);
}

function mapNetwork(v: Lookup, code: string, out: DerivedDoc): void {
  out.set('network.transport', v.get('Protocol'));
  out.set('network.protocol', code === '22' ? 'dns' : (v.get('DestinationPortName') ?? v.get('SourcePortName')));
  out.set('source.ip', ipOf(v.get('SourceIp')));
  out.set('source.domain', v.get('SourceHostname'));
  out.set('source.port', toLongOf(v.get('SourcePort')));
  out.set('destination.ip', ipOf(v.get('DestinationIp')));
  out.set('destination.domain', v.get('DestinationHostname'));
  out.set('destination.port', toLongOf(v.get('DestinationPort')));
  const initiated = v.get('Initiated');
  out.set('network.direction', initiated === 'true' ? 'egress' : initiated === 'false' ? 'ingress' : undefined);
  const v6 = v.get('SourceIsIpv6');
  out.set('network.type', v6 === 'true' ? 'ipv6' : v6 === 'false' ? 'ipv4' : undefined);
}

function mapDns(v: Lookup, out: DerivedDoc, related: boolean): void {
  const name = v.get('QueryName');
  out.set('dns.question.name', name);
  const results = v.get('QueryResults');
  if (results !== undefined) {
    const answers: Record<string, string | undefined>[] = [];
    const ips: string[] = [];
    const hosts: string[] = [];
    for (const answer of results.split(';')) {
      if (answer === '') continue;
      if (answer.startsWith('type:')) {
        const parts = answer.split(/[ \t\n\r\f\v]+/);
        while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // Java split drops trailing empties
        if (parts.length === 3) {
          answers.push({ type: DNS_TYPES[parts[1] as string], data: parts[2] });
          hosts.push(parts[2] as string);
        } else if (parts.length >= 2) answers.push({ type: DNS_TYPES[parts[1] as string] });
      } else {
        const ip = toIp(unmapIpv4(answer));
        if (ip !== undefined) ips.push(ip);
      }
    }
    for (const ip of ips) answers.push({ type: ip.includes(':') ? 'AAAA' : 'A', data: ip });
    if (answers.length > 0) out.set('dns.answers', answers);
    if (ips.length > 0) out.set('dns.resolved_ip', ips);
    if (related) {
      for (const h of hosts) out.appendUnique('related.hosts', h);
      for (const ip of ips) out.appendUnique('related.ip', ip);
    }
  }
  if (related) out.appendUnique('related.hosts', name);
}

function mapUser(v: Lookup, sid: string | undefined, out: DerivedDoc, related: boolean): void {
  if (sid !== undefined && sid !== '') out.set('user.id', sid);
  const user = v.get('User');
  if (user === undefined) return;
  const parts = user.split('\\');
  if (parts.length !== 2) return;
  if (parts[0] !== '') out.set('user.domain', parts[0]);
  if (parts[1] !== '') out.set('user.name', parts[1]);
  if (related) out.appendUnique('related.user', out.get('user.name'));
}

function mapRegistry(v: Lookup, out: DerivedDoc): void {
  const path = v.get('TargetObject');
  if (path === undefined) return;
  const tokens = path.split('\\');
  while (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop(); // Java split drops trailing empties
  if (tokens.length === 0) return;
  out.set('registry.path', path);
  const hive = REGISTRY_HIVES[tokens[0] as string];
  if (hive !== undefined) {
    out.set('registry.hive', hive);
    if (tokens.length > 1) out.set('registry.key', tokens.slice(1).join('\\'));
  }
  out.set('registry.value', tokens[tokens.length - 1]);
  const details = v.get('Details');
  if (details !== undefined) out.set('registry.data', registryData(details));
}

/** The pipeline's Details parsing: QWORD/DWORD hex to decimal, "Binary Data", else a string value. */
function registryData(details: string): { strings: string[]; type: string } | undefined {
  const qword = parseQword(details);
  if (qword !== null) return qword === undefined ? undefined : { strings: [qword], type: 'SZ_QWORD' };
  const dword = parseWrapped(details, 'DWORD (');
  if (dword !== null) return { strings: [String(parseInt(dword, 16))], type: 'SZ_DWORD' };
  if (details === 'Binary Data') return { strings: [details], type: 'REG_BINARY' };
  return { strings: [details], type: 'REG_SZ' };
}

function isHex8(s: string): boolean {
  if (s.length !== 10 || (s[0] !== '0') || (s[1] !== 'x' && s[1] !== 'X')) return false;
  for (let i = 2; i < 10; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** "DWORD (0x0000000a)" (prefix case-insensitive) → "0000000a"; null when the text has another form. */
function parseWrapped(s: string, prefix: string): string | null {
  if (s.length !== prefix.length + 11 || s.slice(0, prefix.length).toUpperCase() !== prefix || !s.endsWith(')')) {
    return null;
  }
  const hex = s.slice(prefix.length, prefix.length + 10);
  return isHex8(hex) ? hex.slice(2) : null;
}

/** "QWORD (0x00000001-0x00000002)": the pipeline computes (high << 8) + low (sic). */
function parseQword(s: string): string | null | undefined {
  const prefix = 'QWORD (';
  if (s.length !== prefix.length + 22 || s.slice(0, prefix.length).toUpperCase() !== prefix || !s.endsWith(')')) {
    return null;
  }
  const high = s.slice(prefix.length, prefix.length + 10);
  const low = s.slice(prefix.length + 11, prefix.length + 21);
  if (s[prefix.length + 10] !== '-' || !isHex8(high) || !isHex8(low)) return null;
  return String(parseInt(high.slice(2), 16) * 256 + parseInt(low.slice(2), 16));
}

function toLongOf(s: string | undefined): number | undefined {
  return s === undefined ? undefined : toLong(s);
}

function ipOf(s: string | undefined): string | undefined {
  return s === undefined ? undefined : toIp(s);
}

/** Ingest `convert` to boolean: "true"/"false" in any case, else nothing. */
function toBoolean(s: string | undefined): boolean | undefined {
  if (s === undefined) return undefined;
  const t = s.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}
