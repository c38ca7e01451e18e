import pino from 'pino';
import type { LogLevel } from './config';

export type Logger = pino.Logger;

/** Field names that may carry credentials: their values never reach a log line, wherever they appear. */
const SECRET_PATHS = [
  'token',
  'password',
  'authorization',
  'headers.authorization',
  '*.token',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.bearerToken',
  '*.clientKey',
  '*.keyData',
];

/**
 * JSON lines on stdout (or the given stream), one object per event, with the level as a word so that log
 * collectors do not need pino's numeric levels.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { component: 'kmm-hub-controller' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
