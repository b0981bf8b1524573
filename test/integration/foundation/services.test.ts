// The harness must fail loudly when a service is down, never skip: these check
// the probes the global setup relies on against addresses nothing listens on.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { brokers, ensureServices, kafkaReachable, registryReachable, registryUrl } from '../setup/services.js';

/** A loopback port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('service probes', () => {
  it('see the running broker and registry', async () => {
    expect(await kafkaReachable(brokers())).toBe(true);
    expect(await registryReachable(registryUrl())).toBe(true);
  });

  it('report a broker or registry that does not answer', async () => {
    const port = await freePort();
    expect(await kafkaReachable([`127.0.0.1:${port}`])).toBe(false);
    expect(await registryReachable(`http://127.0.0.1:${port}/apis/ccompat/v7`)).toBe(false);
  });

  it('refuse to go on when a remote broker is unreachable', async () => {
    await expect(ensureServices(['kafka.invalid:9092'], registryUrl())).rejects.toThrow(/not reachable/);
  });
});
