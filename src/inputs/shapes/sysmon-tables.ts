// Tables from Elastic's Sysmon ingest pipeline (elastic/integrations
// packages/windows/data_stream/sysmon_operational/elasticsearch/ingest_pipeline/default.yml).

export interface Categorisation {
  readonly category?: readonly string[];
  readonly type?: readonly string[];
  readonly outcome?: readonly string[];
  readonly action: string;
}

/** "Add ECS categorization fields": event.category / event.type / event.action (and outcome) per Sysmon event id. */
export const SYSMON_EVENTS: Readonly<Record<string, Categorisation>> = {
  '1': { category: ['process'], type: ['start'], action: 'Process creation' },
  '2': { category: ['file'], type: ['change'], action: 'A process changed a file creation time' },
  '3': { category: ['network'], type: ['start', 'connection', 'protocol'], action: 'Network connection' },
  '4': { category: ['process'], type: ['change'], action: 'Sysmon service state changed' },
  '5': { category: ['process'], type: ['end'], action: 'Process terminated' },
  '6': { category: ['driver'], type: ['start'], action: 'Driver loaded' },
  '7': { category: ['process'], type: ['change'], action: 'Image loaded' },
  '8': { category: ['process'], type: ['change'], action: 'CreateRemoteThread' },
  '9': { category: ['process'], type: ['access'], action: 'RawAccessRead' },
  '10': { category: ['process'], type: ['access'], action: 'ProcessAccess' },
  '11': { category: ['file'], type: ['creation'], action: 'FileCreate' },
  '12': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Object create and delete)' },
  '13': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Value Set)' },
  '14': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Key and Value Rename)' },
  '15': { category: ['file'], type: ['access'], action: 'FileCreateStreamHash' },
  '16': { category: ['configuration'], type: ['change'], action: 'ServiceConfigurationChange' },
  '17': { category: ['file'], type: ['creation'], action: 'PipeEvent (Pipe Created)' },
  '18': { category: ['file'], type: ['access'], action: 'PipeEvent (Pipe Connected)' },
  '19': { category: ['process'], type: ['info'], action: 'WmiEvent (WmiEventFilter activity detected)' },
  '20': { category: ['process'], type: ['change'], action: 'WmiEvent (WmiEventConsumer activity detected)' },
  '21': { category: ['process'], type: ['access'], action: 'WmiEvent (WmiEventConsumerToFilter activity detected)' },
  '22': { category: ['network'], type: ['connection', 'protocol', 'info'], action: 'DNSEvent (DNS query)' },
  '23': { category: ['file'], type: ['deletion'], action: 'FileDelete (File Delete archived)' },
  '24': { type: ['change'], action: 'ClipboardChange (New content in the clipboard)' },
  '25': { category: ['process'], type: ['change'], action: 'ProcessTampering (Process image change)' },
  '26': { category: ['file'], type: ['deletion'], action: 'FileDeleteDetected (File Delete logged)' },
  '27': { category: ['file'], type: ['creation'], outcome: ['failure'], action: 'FileBlockExecutable' },
  '28': { category: ['file'], type: ['deletion'], action: 'FileBlockShredding' },
  '29': { category: ['file'], type: ['creation'], action: 'FileExecutableDetected' },
  '255': { category: ['process'], outcome: ['failure'], action: 'Error' },
};

/** Event ids whose `Hashes` describe the process (`process.hash`) and those where they describe the file. */
export const PROCESS_HASH_EVENTS: ReadonlySet<string> = new Set(['1', '23', '24', '25']);
export const FILE_HASH_EVENTS: ReadonlySet<string> = new Set(['6', '7', '15', '26', '29']);
export const REGISTRY_EVENTS: ReadonlySet<string> = new Set(['12', '13', '14']);

/** Event-data values the pipeline treats as absent (its first script removes them). */
export const EMPTY_VALUES: ReadonlySet<string> = new Set(['', '-', '{00000000-0000-0000-0000-000000000000}']);

export const REGISTRY_HIVES: Readonly<Record<string, string>> = {
  HKEY_CLASSES_ROOT: 'HKCR',
  HKCR: 'HKCR',
  HKEY_CURRENT_CONFIG: 'HKCC',
  HKCC: 'HKCC',
  HKEY_CURRENT_USER: 'HKCU',
  HKCU: 'HKCU',
  HKEY_DYN_DATA: 'HKDD',
  HKDD: 'HKDD',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKLM: 'HKLM',
  HKEY_PERFORMANCE_DATA: 'HKPD',
  HKPD: 'HKPD',
  HKEY_USERS: 'HKU',
  HKU: 'HKU',
};

/** DNS resource record types by number (the QueryResults script's params). */
export const DNS_TYPES: Readonly<Record<string, string>> = {
  '1': 'A', '2': 'NS', '3': 'MD', '4': 'MF', '5': 'CNAME', '6': 'SOA', '7': 'MB', '8': 'MG', '9': 'MR', '10': 'NULL',
  '11': 'WKS', '12': 'PTR', '13': 'HINFO', '14': 'MINFO', '15': 'MX', '16': 'TXT', '17': 'RP', '18': 'AFSDB',
  '19': 'X25', '20': 'ISDN', '21': 'RT', '22': 'NSAP', '23': 'NSAPPTR', '24': 'SIG', '25': 'KEY', '26': 'PX',
  '27': 'GPOS', '28': 'AAAA', '29': 'LOC', '30': 'NXT', '31': 'EID', '32': 'NIMLOC', '33': 'SRV', '34': 'ATMA',
  '35': 'NAPTR', '36': 'KX', '37': 'CERT', '38': 'A6', '39': 'DNAME', '40': 'SINK', '41': 'OPT', '43': 'DS',
  '46': 'RRSIG', '47': 'NSEC', '48': 'DNSKEY', '49': 'DHCID', '100': 'UINFO', '101': 'UID', '102': 'GID',
  '103': 'UNSPEC', '248': 'ADDRS', '249': 'TKEY', '250': 'TSIG', '251': 'IXFR', '252': 'AXFR', '253': 'MAILB',
  '254': 'MAILA', '255': 'ANY', '65281': 'WINS', '65282': 'WINSR',
};
