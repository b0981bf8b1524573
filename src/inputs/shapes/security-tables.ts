// Tables from Elastic's Security ingest pipeline (elastic/beats x-pack/winlogbeat/module/security/ingest/security.yml,
// the same logic as elastic/integrations packages/system/data_stream/security).
import type { Categorisation } from './sysmon-tables.js';

type Row = readonly [category: string, type: string, action: string];

// Compact form of the pipeline's "Set ECS categorization fields" params: comma-separated lists.
const ROWS: Readonly<Record<string, Row>> = {
  '1100': ['process', 'end', 'logging-service-shutdown'],
  '1102': ['iam', 'admin,change', 'audit-log-cleared'],
  '1104': ['iam', 'admin', 'logging-full'],
  '1105': ['iam', 'admin', 'auditlog-archieved'],
  '1108': ['iam', 'admin', 'logging-processing-error'],
  '4610': ['configuration', 'access', 'authentication-package-loaded'],
  '4611': ['configuration', 'change', 'trusted-logon-process-registered'],
  '4614': ['configuration', 'access', 'notification-package-loaded'],
  '4616': ['configuration', 'change', 'system-time-changed'],
  '4622': ['configuration', 'access', 'security-package-loaded'],
  '4624': ['authentication', 'start', 'logged-in'],
  '4625': ['authentication', 'start', 'logon-failed'],
  '4634': ['authentication', 'end', 'logged-out'],
  '4647': ['authentication', 'end', 'logged-out'],
  '4648': ['authentication', 'start', 'logged-in-explicit'],
  '4657': ['registry,configuration', 'change', 'registry-value-modified'],
  '4670': ['iam,configuration', 'admin,change', 'permissions-changed'],
  '4672': ['iam', 'admin', 'logged-in-special'],
  '4673': ['iam', 'admin', 'privileged-service-called'],
  '4674': ['iam', 'admin', 'privileged-operation'],
  '4688': ['process', 'start', 'created-process'],
  '4689': ['process', 'end', 'exited-process'],
  '4697': ['iam,configuration', 'admin,change', 'service-installed'],
  '4698': ['iam,configuration', 'creation,admin', 'scheduled-task-created'],
  '4699': ['iam,configuration', 'deletion,admin', 'scheduled-task-deleted'],
  '4700': ['iam,configuration', 'change,admin', 'scheduled-task-enabled'],
  '4701': ['iam,configuration', 'change,admin', 'scheduled-task-disabled'],
  '4702': ['iam,configuration', 'change,admin', 'scheduled-task-updated'],
  '4706': ['configuration', 'creation', 'domain-trust-added'],
  '4707': ['configuration', 'deletion', 'domain-trust-removed'],
  '4713': ['configuration', 'change', 'kerberos-policy-changed'],
  '4714': ['configuration', 'change', 'encrypted-data-recovery-policy-changed'],
  '4715': ['configuration', 'change', 'object-audit-policy-changed'],
  '4716': ['configuration', 'change', 'trusted-domain-information-changed'],
  '4717': ['iam,configuration', 'admin,change', 'system-security-access-granted'],
  '4718': ['iam,configuration', 'admin,deletion', 'system-security-access-removed'],
  '4719': ['iam,configuration', 'admin,change', 'changed-audit-config'],
  '4720': ['iam', 'user,creation', 'added-user-account'],
  '4722': ['iam', 'user,change', 'enabled-user-account'],
  '4723': ['iam', 'user,change', 'changed-password'],
  '4724': ['iam', 'user,change', 'reset-password'],
  '4725': ['iam', 'user,deletion', 'disabled-user-account'],
  '4726': ['iam', 'user,deletion', 'deleted-user-account'],
  '4727': ['iam', 'group,creation', 'added-group-account'],
  '4728': ['iam', 'group,change', 'added-member-to-group'],
  '4729': ['iam', 'group,change', 'removed-member-from-group'],
  '4730': ['iam', 'group,deletion', 'deleted-group-account'],
  '4731': ['iam', 'group,creation', 'added-group-account'],
  '4732': ['iam', 'group,change', 'added-member-to-group'],
  '4733': ['iam', 'group,change', 'removed-member-from-group'],
  '4734': ['iam', 'group,deletion', 'deleted-group-account'],
  '4735': ['iam', 'group,change', 'modified-group-account'],
  '4737': ['iam', 'group,change', 'modified-group-account'],
  '4738': ['iam', 'user,change', 'modified-user-account'],
  '4739': ['configuration', 'change', 'domain-policy-changed'],
  '4740': ['iam', 'user,change', 'locked-out-user-account'],
  '4741': ['iam', 'creation,admin', 'added-computer-account'],
  '4742': ['iam', 'change,admin', 'changed-computer-account'],
  '4743': ['iam', 'deletion,admin', 'deleted-computer-account'],
  '4744': ['iam', 'group,creation', 'added-distribution-group-account'],
  '4745': ['iam', 'group,change', 'changed-distribution-group-account'],
  '4746': ['iam', 'group,change', 'added-member-to-distribution-group'],
  '4747': ['iam', 'group,change', 'removed-member-from-distribution-group'],
  '4748': ['iam', 'group,deletion', 'deleted-distribution-group-account'],
  '4749': ['iam', 'group,creation', 'added-distribution-group-account'],
  '4750': ['iam', 'group,change', 'changed-distribution-group-account'],
  '4751': ['iam', 'group,change', 'added-member-to-distribution-group'],
  '4752': ['iam', 'group,change', 'removed-member-from-distribution-group'],
  '4753': ['iam', 'group,deletion', 'deleted-distribution-group-account'],
  '4754': ['iam', 'group,creation', 'added-group-account'],
  '4755': ['iam', 'group,change', 'modified-group-account'],
  '4756': ['iam', 'group,change', 'added-member-to-group'],
  '4757': ['iam', 'group,change', 'removed-member-from-group'],
  '4758': ['iam', 'group,deletion', 'deleted-group-account'],
  '4759': ['iam', 'group,creation', 'added-distribution-group-account'],
  '4760': ['iam', 'group,change', 'changed-distribution-group-account'],
  '4761': ['iam', 'group,change', 'added-member-to-distribution-group'],
  '4762': ['iam', 'group,change', 'removed-member-from-distribution-group'],
  '4763': ['iam', 'group,deletion', 'deleted-distribution-group-account'],
  '4764': ['iam', 'group,change', 'type-changed-group-account'],
  '4767': ['iam', 'user,change', 'unlocked-user-account'],
  '4768': ['authentication', 'start', 'kerberos-authentication-ticket-requested'],
  '4769': ['authentication', 'start', 'kerberos-service-ticket-requested'],
  '4770': ['authentication', 'start', 'kerberos-service-ticket-renewed'],
  '4771': ['authentication', 'start', 'kerberos-preauth-failed'],
  '4776': ['authentication', 'start', 'credential-validated'],
  '4778': ['authentication,session', 'start', 'session-reconnected'],
  '4779': ['authentication,session', 'end', 'session-disconnected'],
  '4781': ['iam', 'user,change', 'renamed-user-account'],
  '4798': ['iam', 'user,info', 'group-membership-enumerated'],
  '4799': ['iam', 'group,info', 'user-member-enumerated'],
  '4817': ['iam,configuration', 'admin,change', 'object-audit-changed'],
  '4902': ['iam,configuration', 'admin,creation', 'user-audit-policy-created'],
  '4904': ['iam,configuration', 'admin,change', 'security-event-source-added'],
  '4905': ['iam,configuration', 'admin,deletion', 'security-event-source-removed'],
  '4906': ['iam,configuration', 'admin,change', 'crash-on-audit-changed'],
  '4907': ['iam,configuration', 'admin,change', 'audit-setting-changed'],
  '4908': ['iam,configuration', 'admin,change', 'special-group-table-changed'],
  '4912': ['iam,configuration', 'admin,change', 'per-user-audit-policy-changed'],
  '4950': ['configuration', 'change', 'windows-firewall-setting-changed'],
  '4954': ['configuration', 'change', 'windows-firewall-group-policy-changed'],
  '4964': ['iam', 'admin,group', 'logged-in-special'],
  '5024': ['process', 'start', 'windows-firewall-service-started'],
  '5025': ['process', 'end', 'windows-firewall-service-stopped'],
  '5033': ['driver', 'start', 'windows-firewall-driver-started'],
  '5034': ['driver', 'end', 'windows-firewall-driver-stopped'],
  '5037': ['driver', 'end', 'windows-firewall-driver-error'],
};

export const SECURITY_EVENTS: Readonly<Record<string, Categorisation>> = Object.fromEntries(
  Object.entries(ROWS).map(([code, [category, type, action]]) => [
    code,
    { category: category.split(','), type: type.split(','), action },
  ]),
);

const codes = (s: string): ReadonlySet<string> => new Set(s.split(' '));

/** "Copy Target User": TargetUserSid/TargetUserName/TargetDomainName → user.* (or user.target.* when already set). */
export const TARGET_USER_EVENTS = codes('4624 4625 4634 4647 4648 4768 4769 4770 4771 4776 4964');

/** "Copy Subject User from Event Data": SubjectUser* → user.*. */
export const SUBJECT_USER_EVENTS = codes(
  '4657 4670 4672 4673 4674 4688 4689 4697 4698 4699 4700 4701 4702 4706 4707 4713 4716 4717 4718 4719 4720 4722 ' +
    '4723 4724 4725 4726 4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4738 4739 4740 4741 4742 4743 4744 4745 ' +
    '4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4767 4781 4798 ' +
    '4799 4817 4904 4905 4907 4912 4648',
);

/** "Copy Target User to Target": TargetSid/TargetUserName/TargetDomainName → user.target.*. */
export const USER_TARGET_EVENTS = codes('4670 4720 4722 4723 4724 4725 4726 4738 4740 4767 4798 4817 4907');

/** "Copy Target User to Effective": TargetUser* → user.effective.*. */
export const USER_EFFECTIVE_EVENTS = codes('4648 4688');

/** "Rename Common Auth Fields": ProcessId/ProcessName/IpAddress/IpPort/WorkstationName → process.* / source.*. */
export const COMMON_AUTH_EVENTS = codes(
  '1100 1102 1104 1105 1108 4624 4648 4625 4670 4673 4674 4689 4697 4719 4720 4722 4723 4724 4725 4726 4727 4728 ' +
    '4729 4730 4731 4732 4733 4734 4735 4737 4738 4740 4741 4742 4743 4744 4745 4746 4747 4748 4749 4750 4751 4752 ' +
    '4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4767 4768 4769 4770 4771 4798 4799 4817 4904 4905 ' +
    '4907 4912',
);

export const SESSION_EVENTS = codes('4778 4779');
export const LOGON_ID_FROM_TARGET_EVENTS = codes('4634 4647 4964');
export const RELATED_SUBJECT_USER_EVENTS = codes('4624 4648');
export const RELATED_TARGET_USER_EVENTS = codes('4688 4720 4722 4723 4724 4725 4726 4738 4740 4767 4798');

export const LOGON_TYPES: Readonly<Record<string, string>> = {
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
};

/** 4625 / 4776 Status and SubStatus descriptions. */
export const LOGON_FAILURE_STATUS: Readonly<Record<string, string>> = {
  '0xc000005e': 'There are currently no logon servers available to service the logon request.',
  '0xc0000064': 'User logon with misspelled or bad user account',
  '0xc000006a': 'User logon with misspelled or bad password',
  '0xc000006d': 'This is either due to a bad username or authentication information',
  '0xc000006e': 'Unknown user name or bad password.',
  '0xc000006f': 'User logon outside authorized hours',
  '0xc0000070': 'User logon from unauthorized workstation',
  '0xc0000071': 'User logon with expired password',
  '0xc0000072': 'User logon to account disabled by administrator',
  '0xc00000dc': 'Indicates the Sam Server was in the wrong state to perform the desired operation.',
  '0xc0000133': 'Clocks between DC and other computer too far out of sync',
  '0xc000015b': 'The user has not been granted the requested logon type (aka logon right) at this machine',
  '0xc000018c':
    'The logon request failed because the trust relationship between the primary domain and the trusted domain failed.',
  '0xc0000192': 'An attempt was made to logon, but the Netlogon service was not started.',
  '0xc0000193': 'User logon with expired account',
  '0xc0000224': 'User is required to change password at next logon',
  '0xc0000225': 'Evidently a bug in Windows and not a risk',
  '0xc0000234': 'User logon with account locked',
  '0xc00002ee': 'Failure Reason: An Error occurred during Logon',
  '0xc0000413':
    'Logon Failure: The machine you are logging onto is protected by an authentication firewall. The specified account is not allowed to authenticate to the machine.',
  '0xc0000371': 'The local account store does not contain secret material for the specified account',
  '0x0': 'Status OK.',
};

export const SERVICE_TYPES: Readonly<Record<string, string>> = {
  '0x1': 'Kernel Driver',
  '0x2': 'File System Driver',
  '0x8': 'Recognizer Driver',
  '0x10': 'Win32 Own Process',
  '0x20': 'Win32 Share Process',
  '0x110': 'Interactive Own Process',
  '0x120': 'Interactive Share Process',
};
