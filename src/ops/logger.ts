// pino, writing ECS-shaped JSON lines (@elastic/ecs-pino-format 1.5 works with
// pino 10: it only uses the `formatters`, `messageKey` and `timestamp` options).
// Policy: a line per batch at debug, per alert and per error at info/warn/error;
// never a line per event at info, never payloads or secrets.
import { ecsFormat } from '@elastic/ecs-pino-format';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

// Belt and braces: whatever a caller passes, these never reach the log.
const REDACT = ['password', '*.password', '*.*.password', 'saslPassword', '*.saslPassword', 'registryPassword', '*.registryPassword', 'sasl', '*.sasl', 'value', '*.value'];

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = {
    ...ecsFormat({ convertErr: true }),
    level,
    base: { 'service.name': 'eql-stream' },
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
