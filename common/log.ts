import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

/** How log lines look: JSON for machines (journald, Loki, jq), or one readable line per event for people. */
export type LogFormat = 'json' | 'pretty';
const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/**
 * Structured logs. Secret values are Secret objects that print as "<secret>"; the redact list is a
 * second line of defence for anything that reaches a log under a credential's usual name. Redaction
 * happens before formatting, so pretty lines are as clean as JSON ones.
 *
 * JSON unless the destination is a terminal; `ROOMWATCH_LOG_FORMAT=json|pretty` overrides either way.
 */
export function createLogger(level: string, destination: 1 | 2 = 1, env: NodeJS.ProcessEnv = process.env): Logger {
  const terminal = (destination === 1 ? process.stdout : process.stderr).isTTY === true;
  const format = logFormat(env.ROOMWATCH_LOG_FORMAT, terminal);
  return pino(
    {
      level,
      base: { app: 'roomwatch' },
      redact: { paths: ['*.community', '*.password', '*.auth_key', '*.priv_key', '*.authKey', '*.privKey'], censor: '<secret>' },
    },
    format === 'pretty' ? prettyStream(destination, terminal) : pino.destination({ fd: destination, sync: true }),
  );
}

/** The format asked for in ROOMWATCH_LOG_FORMAT, else pretty on a terminal and JSON elsewhere. */
export function logFormat(asked: string | undefined, terminal: boolean): LogFormat {
  if (asked === undefined || asked === '') return terminal ? 'pretty' : 'json';
  const format = LOG_FORMATS.find((f) => f === asked.trim().toLowerCase());
  if (!format) throw new Error(`ROOMWATCH_LOG_FORMAT is "${asked}"; expected one of ${LOG_FORMATS.join(', ')} (or unset: pretty on a terminal, JSON otherwise)`);
  return format;
}

/**
 * pino-pretty in this thread, writing synchronously: no worker transport, so the last lines
 * before a crash or exit are not lost, and the process has no extra thread to outlive. Times are
 * the machine's local time (SYS:), which is what the people at the console read off the wall.
 */
function prettyStream(fd: 1 | 2, colour: boolean): DestinationStream {
  return pinoPretty({
    destination: fd,
    sync: true,
    colorize: colour,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname,app',
    singleLine: true,
  });
}
