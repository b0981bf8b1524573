// Rebuilds sample-data/ from ../shared/data/public (the real public events) and
// writes the crafted attack events. Run: npx tsx scripts/sample-data/build.ts
// The output is committed so the demo works without ../shared.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = join(root, '..', 'shared', 'data', 'public');
const out = join(root, 'sample-data');

type Doc = Record<string, unknown>;

function readDocs(relative: string): Doc[] {
  const text = readFileSync(join(shared, relative), 'utf8');
  const whole = JSON.parse(text) as Doc | Doc[];
  if (Array.isArray(whole)) return whole;
  return Array.isArray(whole['events']) ? (whole['events'] as Doc[]) : [whole];
}

function writeNdjson(relative: string, docs: readonly Doc[]): void {
  const file = join(out, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, docs.map((doc) => JSON.stringify(doc)).join('\n') + '\n');
}

// ---- Real public events, one NDJSON file per input shape and topic ----------
const endpoint = ['file', 'process', 'network', 'registry', 'library', 'security', 'api', 'alerts'].flatMap((stream) =>
  readDocs(`elastic-endpoint-package/package/endpoint/data_stream/${stream}/sample_event.json`),
);
writeNdjson('public/ecs/elastic-endpoint-sample-events.ndjson', endpoint);
writeNdjson('public/ecs/elastic-integrations-sample-events.ndjson', [
  ...readDocs('elastic-integrations/packages/windows/data_stream/sysmon_operational/sample_event.json'),
  ...readDocs('elastic-integrations/packages/system/data_stream/security/sample_event.json'),
]);
const beatsCollection = 'elastic-beats/x-pack/winlogbeat/module';
writeNdjson(
  'public/winlogbeat/elastic-beats-collection-goldens.ndjson',
  [
    'sysmon/test/testdata/collection/sysmon-9.01.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-11-registry.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-11-filedelete.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-11-filedeletedetected.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-12-loadimage.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-12-processcreate.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-13-clipboardchange.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-13-processtampering.evtx.golden.json',
    'sysmon/test/testdata/collection/sysmon-no-evtx.evtx.golden.json',
    'security/test/testdata/collection/security-windows2012r2-logon.evtx.golden.json',
    'security/test/testdata/collection/security-windows2019_4688_Process_Created.evtx.golden.json',
  ].flatMap((file) => readDocs(`${beatsCollection}/${file}`)),
);
writeNdjson(
  'public/winlogbeat/elastic-integrations-sysmon-test-events.ndjson',
  readDocs('elastic-integrations/packages/windows/data_stream/sysmon_operational/_dev/test/pipeline/test-events.json'),
);
// Already NDJSON: copied byte for byte.
copyFileSync(
  join(shared, 'otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc_2021-03-14T01401970.json'),
  join(out, 'public/flat/otrf-proxylogon-ssrf-rce-poc.ndjson'),
);

// ---- Crafted attack events: every branch of the seed rule, in every shape ----
interface Case {
  readonly id: string;
  readonly image: string;
  readonly target: string;
  readonly expected: boolean;
  readonly why: string;
}
const exchange = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15';
const um = `${exchange}\\Bin\\UMWorkerProcess.exe`;
const umservice = `${exchange}\\Bin\\umservice.exe`;
const cases: readonly Case[] = [
  { id: 'aspnet-client-aspx', image: um, target: 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\shell.aspx', expected: true, why: 'aspnet_client branch' },
  { id: 'aspnet-client-upper-case', image: `${exchange}\\Bin\\UMWORKERPROCESS.EXE`, target: 'D:\\INETPUB\\WWWROOT\\ASPNET_CLIENT\\DISCOVER.ASPX', expected: true, why: '`:` is case-insensitive for process, path and extension' },
  { id: 'owa-auth-webshell', image: umservice, target: `${exchange}\\FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx`, expected: true, why: 'owa\\auth branch, not an excluded name' },
  { id: 'owa-auth-subfolder', image: um, target: `${exchange}\\FrontEnd\\HttpProxy\\owa\\auth\\Current\\themes\\resources\\s.js`, expected: true, why: 'owa\\auth branch, * crosses backslashes' },
  { id: 'ecp-auth-webshell', image: um, target: 'E:\\Apps\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\ecp\\auth\\web.asmx', expected: true, why: 'ecp\\auth branch on another drive and install folder' },
  { id: 'owa-auth-version-excluded', image: um, target: `${exchange}\\FrontEnd\\HttpProxy\\owa\\auth\\version\\scripts\\x.js`, expected: false, why: 'owa\\auth\\version is excluded' },
  { id: 'owa-auth-logon-excluded', image: um, target: `${exchange}\\FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx`, expected: false, why: 'logon.aspx is an excluded name' },
  { id: 'ecp-auth-timeoutlogoff-excluded', image: umservice, target: `${exchange}\\FrontEnd\\HttpProxy\\ecp\\auth\\TimeoutLogoff.aspx`, expected: false, why: 'TimeoutLogoff.aspx is excluded in ecp\\auth' },
  { id: 'w3wp-writes-aspnet-client', image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', target: 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx', expected: false, why: 'not a UM process' },
  { id: 'um-writes-text-file', image: um, target: 'C:\\inetpub\\wwwroot\\aspnet_client\\notes.txt', expected: false, why: 'extension not in the list' },
  { id: 'um-writes-elsewhere', image: um, target: 'C:\\Windows\\Temp\\shell.aspx', expected: false, why: 'path in none of the branches' },
];

const host = 'EXCH01.contoso.local';
const time = '2021-03-03T04:12:31.478Z';

function ecsEvent(c: Case, index: number): Doc {
  const name = c.target.slice(c.target.lastIndexOf('\\') + 1);
  const dot = name.lastIndexOf('.');
  return {
    '@timestamp': time,
    agent: { type: 'endpoint', version: '8.3.0' },
    event: { id: `crafted-ecs-${c.id}`, kind: 'event', category: ['file'], type: ['creation'], action: 'creation', dataset: 'endpoint.events.file', module: 'endpoint', sequence: 1000 + index },
    host: { name: host, hostname: 'EXCH01', os: { type: 'windows', family: 'windows' } },
    process: { name: c.image.slice(c.image.lastIndexOf('\\') + 1), executable: c.image, pid: 5120 + index, entity_id: `crafted-${c.id}` },
    file: { path: c.target, name, extension: dot > 0 ? name.slice(dot + 1) : undefined, directory: c.target.slice(0, c.target.lastIndexOf('\\')) },
    user: { name: 'SYSTEM', domain: 'NT AUTHORITY' },
    message: 'Endpoint file event',
    labels: { crafted_case: c.id },
  };
}

function winlogbeatEvent(c: Case, index: number): Doc {
  return {
    '@timestamp': time,
    event: { code: '11', kind: 'event', provider: 'Microsoft-Windows-Sysmon', created: time },
    host: { name: host },
    log: { level: 'information' },
    labels: { crafted_case: c.id },
    winlog: {
      api: 'wineventlog',
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer_name: host,
      event_data: {
        CreationUtcTime: '2021-03-03 04:12:31.478',
        Image: c.image,
        ProcessGuid: '{6004d249-0957-604d-6019-000000000900}',
        ProcessId: String(5120 + index),
        RuleName: '-',
        TargetFilename: c.target,
        User: 'NT AUTHORITY\\SYSTEM',
        UtcTime: '2021-03-03 04:12:31.478',
      },
      event_id: '11',
      opcode: 'Info',
      process: { pid: 2900, thread: { id: 3660 } },
      provider_guid: '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}',
      provider_name: 'Microsoft-Windows-Sysmon',
      record_id: 900000 + index,
      user: { domain: 'NT AUTHORITY', identifier: 'S-1-5-18', name: 'SYSTEM', type: 'User' },
      version: 2,
    },
  };
}

function flatEvent(c: Case, index: number): Doc {
  const pid = String(5120 + index);
  return {
    SourceName: 'Microsoft-Windows-Sysmon',
    ProviderGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    Level: '4',
    Keywords: '0x8000000000000000',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Hostname: host,
    TimeCreated: time,
    '@timestamp': time,
    EventID: 11,
    Message: `File created:\r\nRuleName: -\r\nUtcTime: 2021-03-03 04:12:31.478\r\nProcessGuid: {6004D249-0957-604D-6019-000000000900}\r\nProcessId: ${pid}\r\nImage: ${c.image}\r\nTargetFilename: ${c.target}\r\nCreationUtcTime: 2021-03-03 04:12:31.478`,
    Task: '11',
    RuleName: '-',
    UtcTime: '2021-03-03 04:12:31.478',
    ProcessGuid: '{6004D249-0957-604D-6019-000000000900}',
    ProcessId: pid,
    Image: c.image,
    TargetFilename: c.target,
    CreationUtcTime: '2021-03-03 04:12:31.478',
    RecordNumber: 900000 + index,
    CraftedCase: c.id,
  };
}

writeNdjson('attacks/ecs.ndjson', cases.map(ecsEvent));
writeNdjson('attacks/winlogbeat.ndjson', cases.map(winlogbeatEvent));
writeNdjson('attacks/flat.ndjson', cases.map(flatEvent));
writeFileSync(join(out, 'attacks', 'cases.json'), JSON.stringify(cases, null, 2) + '\n');
console.log(`sample-data: ${endpoint.length} endpoint docs, ${cases.length} crafted cases per shape`);
