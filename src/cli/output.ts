// Writing lines to stdout with back-pressure, for commands that may print many
// documents (a slow reader must not make the process buffer without bound).
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** The reader of our output went away (EPIPE: `eql-stream scan … | head`). */
export class OutputClosedError extends Error {}

export async function writeLine(out: Writable, text: string): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new OutputClosedError('output closed');
  if (out.write(`${text}\n`)) return;
  const closed = new Promise<never>((_, reject) => {
    out.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EPIPE' ? new OutputClosedError('output closed') : e));
  });
  await Promise.race([once(out, 'drain'), closed]);
}
