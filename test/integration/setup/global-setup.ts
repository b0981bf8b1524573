// Vitest global setup for the integration project: the real broker and registry
// must answer before any test runs. Local ones that are down are started with
// scripts/services.sh (and left running for the next run; `npm run
// services:stop` or .ci/run stops them). Anything that cannot be reached throws,
// which fails the run: integration tests never skip.
import { brokers, ensureServices, registryUrl } from './services.js';

export default async function setup(): Promise<void> {
  await ensureServices(brokers(), registryUrl());
}
