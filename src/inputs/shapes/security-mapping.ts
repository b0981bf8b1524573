// Security channel event data → ECS, as Elastic's Security ingest pipeline does it.
// Source: elastic/beats x-pack/winlogbeat/module/security/ingest/security.yml (scripts named in comments).
import type { DerivedDoc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import type { RawWindowsEvent } from './raw-event.js';
import {
  COMMON_AUTH_EVENTS, LOGON_FAILURE_STATUS, LOGON_ID_FROM_TARGET_EVENTS, LOGON_TYPES, RELATED_SUBJECT_USER_EVENTS,
  RELATED_TARGET_USER_EVENTS, SECURITY_EVENTS, SERVICE_TYPES, SESSION_EVENTS, SUBJECT_USER_EVENTS,
  TARGET_USER_EVENTS, USER_EFFECTIVE_EVENTS, USER_TARGET_EVENTS,
} from './security-tables.js';
import { decodeLong, isoMillis, lastSplitPart, splitCommandLineSecurity } from './windows-strings.js';
import { setCategorisation } from './categorise.js';

type Lookup = RawWindowsEvent;

const present = (s: string | undefined): s is string => s !== undefined && s !== '' && s !== '-';

export function mapSecurity(raw: RawWindowsEvent, out: DerivedDoc, g: Groups): void {
  const v: Lookup = raw;
  const code = raw.eventId ?? '';

  out.set('event.kind', 'event');
  out.set('event.code', code);
  out.set('event.module', 'security');
  setCategorisation(out, SECURITY_EVENTS[code]);
  if (g.timestamps && raw.timeCreated !== undefined && out.get('@timestamp') === undefined) {
    out.set('@timestamp', isoMillis(raw.timeCreated));
  }

  if (g.logon) mapLogon(v, code, out);
  if (g.user || g.network) mapSession(v, code, out, g);
  if (g.user) mapUsers(v, code, out, g.related);
  if (g.process || g.network) mapCommonAuth(v, code, out, g);
  if (code === '4688' && (g.process || g.args)) mapProcessCreated(v, out, g);
  if (g.related) mapRelated(v, code, out);
}

function mapLogon(v: Lookup, code: string, out: DerivedDoc): void {
  const logonType = v.data('LogonType');
  if (logonType !== undefined) out.set('winlog.logon.type', LOGON_TYPES[logonType]);
  if (code === '4625' || code === '4776') {
    const status = v.data('Status');
    if (status !== undefined) out.set('winlog.logon.failure.status', LOGON_FAILURE_STATUS[status]);
    const sub = v.data('SubStatus');
    if (sub !== undefined) out.set('winlog.logon.failure.sub_status', LOGON_FAILURE_STATUS[sub]);
  }
  const service = v.data('ServiceName');
  out.set('service.name', service);
  const serviceType = v.data('ServiceType');
  if (serviceType !== undefined) out.set('service.type', SERVICE_TYPES[serviceType]);
  if (LOGON_ID_FROM_TARGET_EVENTS.has(code)) out.set('winlog.logon.id', v.data('TargetLogonId'));
  if (SESSION_EVENTS.has(code)) out.set('winlog.logon.id', v.data('LogonID'));
  out.set('winlog.logon.id', v.data('SubjectLogonId'));
}

/** "Add Session Events" (4778, 4779). */
function mapSession(v: Lookup, code: string, out: DerivedDoc, g: Groups): void {
  if (!SESSION_EVENTS.has(code)) return;
  if (g.user) {
    out.set('user.name', v.data('AccountName'));
    if (g.related) out.appendUnique('related.user', v.data('AccountName'));
    out.set('user.domain', v.data('AccountDomain'));
  }
  if (g.network) {
    const client = v.data('ClientAddress');
    if (client !== undefined && client !== '-' && client !== 'Unknown') {
      out.set('source.ip', client === 'LOCAL' ? '127.0.0.1' : client);
    }
    out.set('source.domain', v.data('ClientName'));
  }
}

function mapUsers(v: Lookup, code: string, out: DerivedDoc, related: boolean): void {
  if (TARGET_USER_EVENTS.has(code)) {
    // "Copy Target User": into user.* unless already set there, then into user.target.*.
    const id = v.data('TargetUserSid') ?? v.data('TargetSid');
    if (id !== undefined) out.set(out.get('user.id') === undefined ? 'user.id' : 'user.target.id', id);
    const fullName = v.data('TargetUserName');
    if (fullName !== undefined) {
      const name = fullName.split('@')[0] as string;
      out.set(out.get('user.name') === undefined ? 'user.name' : 'user.target.name', name);
      if (related) out.appendUnique('related.user', name);
    }
    const domain = v.data('TargetDomainName');
    if (domain !== undefined) out.set(out.get('user.domain') === undefined ? 'user.domain' : 'user.target.domain', domain);
  }
  if (SUBJECT_USER_EVENTS.has(code)) {
    out.set('user.id', v.data('SubjectUserSid'));
    const name = v.data('SubjectUserName');
    out.set('user.name', name);
    if (related) out.appendUnique('related.user', name);
    out.set('user.domain', v.data('SubjectDomainName'));
  }
  if (USER_TARGET_EVENTS.has(code)) copyTargetUser(v, 'TargetSid', 'user.target', out, related);
  if (USER_EFFECTIVE_EVENTS.has(code)) copyTargetUser(v, 'TargetUserSid', 'user.effective', out, related);
  out.set('user.target.name', nonEmpty(v.data('OldTargetUserName')));
  out.set('user.changes.name', nonEmpty(v.data('NewTargetUserName')));
}

/** "Copy Target User to Target" / "… to Effective": skips "" and "-", strips "@realm". */
function copyTargetUser(v: Lookup, sidField: string, prefix: string, out: DerivedDoc, related: boolean): void {
  const id = v.data(sidField);
  if (present(id)) out.set(`${prefix}.id`, id);
  const fullName = v.data('TargetUserName');
  if (present(fullName)) {
    const name = fullName.split('@')[0] as string;
    out.set(`${prefix}.name`, name);
    if (related) out.appendUnique('related.user', name);
  }
  const domain = v.data('TargetDomainName');
  if (present(domain)) out.set(`${prefix}.domain`, domain);
}

/** "Rename Common Auth Fields". */
function mapCommonAuth(v: Lookup, code: string, out: DerivedDoc, g: Groups): void {
  if (!COMMON_AUTH_EVENTS.has(code)) return;
  if (g.process) {
    const pid = v.data('ProcessId');
    if (pid !== undefined) out.set('process.pid', decodeLong(pid));
    const executable = v.data('ProcessName');
    out.set('process.executable', executable);
    if (executable !== undefined) out.set('process.name', lastSplitPart(executable));
  }
  if (g.network) {
    const ip = v.data('IpAddress');
    if (ip !== undefined && ip !== '-') out.set('source.ip', stripMapped(ip));
    const port = v.data('IpPort');
    if (port !== undefined && port !== '-') out.set('source.port', decodeLong(port));
    out.set('source.domain', v.data('WorkstationName'));
  }
}

/** "Process Event 4688". */
function mapProcessCreated(v: Lookup, out: DerivedDoc, g: Groups): void {
  if (g.process) {
    const pid = v.data('NewProcessId');
    if (pid !== undefined) out.set('process.pid', decodeLong(pid));
    const executable = v.data('NewProcessName');
    out.set('process.executable', executable);
    if (executable !== undefined) out.set('process.name', lastSplitPart(executable));
    const parent = v.data('ParentProcessName');
    out.set('process.parent.executable', parent);
    if (parent !== undefined) out.set('process.parent.name', lastSplitPart(parent));
    const ppid = v.data('ProcessId');
    if (ppid !== undefined) out.set('process.parent.pid', decodeLong(ppid));
    out.set('process.command_line', v.data('CommandLine'));
  }
  const cmd = v.data('CommandLine');
  if (g.args && cmd !== undefined) out.set('process.args', splitCommandLineSecurity(cmd));
}

function mapRelated(v: Lookup, code: string, out: DerivedDoc): void {
  if (code === '4688' && present(v.data('TargetUserName'))) out.appendUnique('related.user', v.data('TargetUserName'));
  if (RELATED_SUBJECT_USER_EVENTS.has(code) && present(v.data('SubjectUserName'))) {
    out.appendUnique('related.user', v.data('SubjectUserName'));
  }
  if (RELATED_TARGET_USER_EVENTS.has(code) && present(v.data('TargetUserName'))) {
    out.appendUnique('related.user', v.data('TargetUserName'));
  }
  if (present(v.data('NewTargetUserName'))) out.appendUnique('related.user', v.data('NewTargetUserName'));
  if (present(v.data('OldTargetUserName'))) out.appendUnique('related.user', v.data('OldTargetUserName'));
  const ip = out.get('source.ip');
  if (typeof ip === 'string' && ip !== '-') out.appendUnique('related.ip', ip);
}

/** The pipeline's `gsub source.ip "::ffff:" → ""`. */
function stripMapped(ip: string): string {
  return ip.split('::ffff:').join('');
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === '' ? undefined : s;
}
