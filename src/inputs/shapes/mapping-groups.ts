// Mapping groups: units of work in raw-shape normalisation, each producing a known set of
// ECS fields. With the set of fields the rules need, groups nobody reads are skipped.

export const GROUP_FIELDS = {
  /** @timestamp from Sysmon's UtcTime, event.created from the record time (date parsing). */
  timestamps: ['@timestamp', 'event.created'],
  /** Process identity: entity_id, pid, executable, name, command line, parent. */
  process: [
    'process.entity_id', 'process.pid', 'process.executable', 'process.name', 'process.command_line',
    'process.working_directory', 'process.thread', 'process.parent.entity_id', 'process.parent.pid',
    'process.parent.executable', 'process.parent.name', 'process.parent.command_line',
  ],
  /** Argument vectors (the costliest string work). */
  args: ['process.args', 'process.args_count', 'process.parent.args', 'process.parent.args_count'],
  /** PE metadata and code signatures. */
  pe: ['process.pe', 'file.pe', 'file.code_signature'],
  hashes: ['process.hash', 'file.hash', 'process.pe.imphash', 'file.pe.imphash'],
  file: ['file.path', 'file.name', 'file.directory', 'file.extension'],
  network: ['network', 'source', 'destination'],
  dns: ['dns'],
  user: ['user'],
  registry: ['registry'],
  /** related.* collects values from user, network, dns and hashes, so it switches those on too. */
  related: ['related'],
  /** Security logon details and services. */
  logon: ['winlog.logon', 'service'],
  sysmon: ['sysmon'],
  /** Flat shape only: the `winlog.*` envelope Winlogbeat would have produced. */
  winlog: ['winlog'],
  /** host.name (flat shape only), log.level, message (flat shape only). */
  host: ['host'],
  log: ['log', 'message'],
} as const satisfies Record<string, readonly string[]>;

export type GroupName = keyof typeof GROUP_FIELDS;
export type Groups = Readonly<Record<GroupName, boolean>>;

const NAMES = Object.keys(GROUP_FIELDS) as GroupName[];

export const ALL_GROUPS: Groups = Object.fromEntries(NAMES.map((n) => [n, true])) as Record<GroupName, boolean>;

function overlaps(needed: string, produced: string): boolean {
  return (
    needed === produced ||
    (needed.length > produced.length && needed.startsWith(produced) && needed[produced.length] === '.') ||
    (produced.length > needed.length && produced.startsWith(needed) && produced[needed.length] === '.')
  );
}

/** The groups whose output any of the needed fields touches. */
export function groupsFor(needed: Iterable<string>): Groups {
  const list = [...needed];
  const on = Object.fromEntries(
    NAMES.map((n) => [n, GROUP_FIELDS[n].some((p) => list.some((f) => overlaps(f, p)))]),
  ) as Record<GroupName, boolean>;
  if (on.related) on.user = on.network = on.dns = on.hashes = true;
  return on;
}

const cache = new WeakMap<ReadonlySet<string>, Groups>();

/** groupsFor, memoised per needed-set object (the worker passes the same set for every event). */
export function groupsForSet(needed: ReadonlySet<string>): Groups {
  let g = cache.get(needed);
  if (g === undefined) {
    g = groupsFor(needed);
    cache.set(needed, g);
  }
  return g;
}
