// Writing lines to stdout with back-pressure, for commands that may print many
// documents (a slow reader must not make the process buffer without bound).
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export async function writeLine(out: Writable, text: string): Promise<void> {
  if (!out.write(`${text}\n`)) await once(out, 'drain');
}
