// The one mapping from Windows event data to ECS, shared by the winlogbeat and flat shapes:
// each shape builds a RawWindowsEvent view of its document, and this module picks the channel's mapping.
import type { DerivedDoc } from './doc-path.js';
import type { Groups } from './mapping-groups.js';
import type { RawWindowsEvent } from './raw-event.js';
import { mapSecurity } from './security-mapping.js';
import { mapSysmon } from './sysmon-mapping.js';

const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';
const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';

export type WindowsModule = 'sysmon' | 'security' | undefined;

/** Which Elastic pipeline handles the event (Winlogbeat's routing: by channel, then provider). */
export function windowsModule(raw: RawWindowsEvent): WindowsModule {
  const channel = raw.channel?.toLowerCase();
  if (channel === SYSMON_CHANNEL) return 'sysmon';
  if (channel === 'security') return 'security';
  if (channel === undefined) {
    if (raw.provider === SYSMON_PROVIDER) return 'sysmon';
    if (raw.provider === SECURITY_PROVIDER) return 'security';
  }
  return undefined;
}

/** Maps the event data of Sysmon and Security events; other channels only get event.kind and event.code. */
export function mapWindowsEvent(raw: RawWindowsEvent, out: DerivedDoc, groups: Groups): void {
  // Both pipelines copy winlog.level to log.level.
  if (groups.log && out.get('log.level') === undefined && raw.level !== '') out.set('log.level', raw.level);
  switch (windowsModule(raw)) {
    case 'sysmon':
      mapSysmon(raw, out, groups);
      return;
    case 'security':
      mapSecurity(raw, out, groups);
      return;
    default:
      out.set('event.kind', 'event');
      out.set('event.code', raw.eventId);
  }
}
