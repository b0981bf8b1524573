// The public sample events (../shared/data/public): every JSON and NDJSON file,
// split into one message per event. NDJSON lines are kept byte for byte;
// events inside JSON documents (arrays, `{"events":[…]}`, `{"expected":[…]}`,
// single objects) are re-serialised compactly, as a producer would send them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const PUBLIC_DATA_DIR = process.env['EQL_STREAM_PUBLIC_DATA'] ?? new URL('../../shared/data/public', import.meta.url).pathname;

export interface CorpusFile {
  /** Path relative to the data folder. */
  readonly file: string;
  /** One raw message per event. */
  readonly messages: readonly Buffer[];
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(nd)?json$/.test(name)) yield path;
  }
}

function eventsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (typeof doc === 'object' && doc !== null) {
    for (const key of ['events', 'expected']) {
      const list = (doc as Record<string, unknown>)[key];
      if (Array.isArray(list)) return list;
    }
  }
  return [doc];
}

function messagesOf(text: string): Buffer[] {
  try {
    return eventsOf(JSON.parse(text)).map((e) => Buffer.from(JSON.stringify(e)));
  } catch {
    // Not one JSON document: NDJSON (the OTRF capture is NDJSON despite its .json name).
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => Buffer.from(l));
  }
}

export function loadPublicCorpus(dir: string = PUBLIC_DATA_DIR): CorpusFile[] {
  return [...walk(dir)].map((path) => ({ file: relative(dir, path), messages: messagesOf(readFileSync(path, 'utf8')) }));
}
