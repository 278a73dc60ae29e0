import { pino, type Logger } from 'pino';

/**
 * Structured logs. Secret values are Secret objects that print as "<secret>"; the redact list is a
 * second line of defence for anything that reaches a log under a credential's usual name.
 */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { app: 'roomwatch' },
      redact: { paths: ['*.community', '*.password', '*.auth_key', '*.priv_key', '*.authKey', '*.privKey'], censor: '<secret>' },
    },
    pino.destination({ fd: destination, sync: true }),
  );
}
