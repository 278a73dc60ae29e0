import { influxClient } from '../common/influx-client.js';

/** Where the reports read from: InfluxDB 1.x, InfluxQL. */
export interface InfluxSource {
  url: string;
  database: string;
  username?: string;
  /** Revealed by the caller; never logged here. */
  password?: string;
  timeoutMs: number;
}

/** One row of a result: the series' tags and the row's columns, times in epoch milliseconds. */
export type Row = Record<string, string | number | null>;

/** Runs InfluxQL statements; one result (a list of rows) per statement, in order. */
export type Query = (statements: readonly string[]) => Promise<Row[][]>;

/** One statement's part of InfluxDB's answer (`/query`, epoch times). */
export interface RawResult {
  error?: string;
  series?: Array<{ tags?: Record<string, string>; columns: string[]; values: Array<Array<string | number | null>> }>;
}

export function influxQuery(source: InfluxSource): Query {
  const influx = influxClient(source);
  return async (statements) => {
    if (!statements.length) return [];
    const body = (await influx.queryRaw(statements.join(';\n'), { precision: 'ms' })) as { results: RawResult[] };
    return body.results.map((result, i) => {
      // A statement about a measurement never written (no UPS in this room) is empty, not an error.
      if (result.error) throw new Error(`InfluxDB refused "${statements[i]}": ${result.error}`);
      return rowsOf(result);
    });
  };
}

/** A statement's result as rows: each series' tags and the row's columns, by name. */
export function rowsOf(result: RawResult): Row[] {
  return (result.series ?? []).flatMap((series) =>
    series.values.map((values) => {
      const row: Row = { ...series.tags };
      series.columns.forEach((column, c) => (row[column] = values[c] ?? null));
      return row;
    }),
  );
}

/** An InfluxQL identifier, quoted. */
export const ident = (name: string): string => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
/** An InfluxQL string literal. */
export const literal = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
