import { InfluxDB } from 'influx';

/** Where an InfluxDB 1.x is and how to log in; the password already revealed by the caller. */
export interface InfluxConnection {
  url: string;
  database: string;
  username?: string;
  password?: string;
  timeoutMs: number;
}

/**
 * One client per writer or reader (the sink, fault statistics, the inspection report). No retries
 * inside the client: each caller decides (the sink spools and backs off, a report fails and says so).
 */
export function influxClient(connection: InfluxConnection): InfluxDB {
  const url = new URL(connection.url);
  return new InfluxDB({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    database: connection.database,
    username: connection.username,
    password: connection.password,
    pool: { maxRetries: 0, requestTimeout: connection.timeoutMs },
  });
}
