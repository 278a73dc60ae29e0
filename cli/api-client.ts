import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Env } from '../common/config/secret.js';
import { formatIssue, YamlSource } from '../common/config/yaml-source.js';

/** Where the CLI talks to the daemon, and how it learned that (said when the daemon cannot be reached). */
export interface ApiTarget {
  base: string;
  token?: string;
  /** "--api", "FILE (api.listen)" or "the default": named in every "cannot reach" message. */
  baseFrom: string;
  /** Where the token came from, or why there is none: explains a 401. */
  tokenFrom: string;
}

export interface TargetOptions {
  api?: string;
  config?: string;
}

const DEFAULT_BASE = 'http://127.0.0.1:8080';

/**
 * The API base and token: `--api` and ROOMWATCH_API_TOKEN first, then the configuration
 * (`--config`, else ROOMWATCH_CONFIG, else ./roomwatch.yaml when it exists), then the default
 * address. Throws, in words, when a configuration named explicitly cannot be read.
 */
export function apiTarget(options: TargetOptions, env: Env = process.env, cwd = process.cwd()): ApiTarget {
  const explicit = options.config ?? (env.ROOMWATCH_CONFIG || undefined);
  const file = explicit ?? (existsSync(resolve(cwd, 'roomwatch.yaml')) ? 'roomwatch.yaml' : undefined);
  const found = file === undefined ? undefined : readApiSection(resolve(cwd, file), env);
  const envToken = env.ROOMWATCH_API_TOKEN || undefined;
  const base = options.api?.replace(/\/+$/, '') ?? found?.base ?? DEFAULT_BASE;
  const baseFrom = options.api ? '--api' : found ? `${file} (api.listen)` : 'the default address (no --api, no --config, no ./roomwatch.yaml)';
  const token = envToken ?? found?.token;
  const tokenFrom = envToken ? 'ROOMWATCH_API_TOKEN' : (found?.tokenFrom ?? 'nowhere: set ROOMWATCH_API_TOKEN or give --config FILE with api.token');
  return { base, baseFrom, tokenFrom, ...(token ? { token } : {}) };
}

/**
 * Only the `api` section of the configuration. The whole loader (templates, devices, every device
 * secret) is not needed to find one address and token, and would refuse to answer when, say, an
 * SNMP key's variable is not set in the engineer's shell.
 */
function readApiSection(path: string, env: Env): { base: string; token?: string; tokenFrom: string } {
  const source = YamlSource.read(path);
  if (source.syntaxIssues.length) throw new Error(`cannot read the configuration: ${source.syntaxIssues.map(formatIssue).join('; ')}`);
  const api = ((source.value ?? {}) as { api?: { listen?: unknown; token?: unknown; tls?: unknown } }).api ?? {};
  const listen = typeof api.listen === 'string' ? api.listen : '127.0.0.1:8080';
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon);
  // A daemon listening on every address is reached on loopback.
  const reach = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host;
  const base = `${api.tls ? 'https' : 'http'}://${reach}:${listen.slice(colon + 1)}`;
  return { base, ...secretOf(api.token, env, dirname(path), path) };
}

/** api.token as the daemon resolves it (inline, { env }, { file } relative to the configuration). */
function secretOf(value: unknown, env: Env, dir: string, file: string): { token?: string; tokenFrom: string } {
  if (value === undefined) return { tokenFrom: `nowhere: ${file} has no api.token` };
  if (typeof value === 'string') return { token: value, tokenFrom: `${file} (api.token)` };
  const ref = value as { env?: string; file?: string };
  if (ref.env !== undefined) {
    const found = env[ref.env];
    return found ? { token: found, tokenFrom: `$${ref.env} (api.token in ${file})` } : { tokenFrom: `nowhere: api.token in ${file} is $${ref.env}, which is not set here` };
  }
  if (ref.file !== undefined) {
    const path = resolve(dir, ref.file);
    try {
      return { token: readFileSync(path, 'utf8').trim(), tokenFrom: `${path} (api.token in ${file})` };
    } catch (error) {
      return { tokenFrom: `nowhere: api.token in ${file} is the file ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  return { tokenFrom: `nowhere: api.token in ${file} is neither a string, { env } nor { file }` };
}

export interface Answer<T> {
  status: number;
  body: T & { code?: string; message?: string; problems?: unknown[] };
}

/** The daemon's API as the CLI uses it: every request carries the bearer token (reads need viewer). */
export class ApiClient {
  constructor(readonly target: ApiTarget) {}

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<Answer<T>> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    const search = params.size ? `?${params.toString()}` : '';
    return this.#call<T>('GET', `${path}${search}`);
  }

  post<T>(path: string, body?: object): Promise<Answer<T>> {
    return this.#call<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<Answer<T>> {
    return this.#call<T>('DELETE', path);
  }

  async #call<T>(method: string, path: string, body?: object): Promise<Answer<T>> {
    const { base, token, baseFrom } = this.target;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      throw new Error(unreachable(base, baseFrom, error));
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // Not the daemon's API (a proxy's error page, another service on the port).
      parsed = { message: `not a roomwatch API answer from ${base}${path}: ${text.slice(0, 120)}` };
    }
    return { status: response.status, body: parsed as Answer<T>['body'] };
  }

  /** An error answer as one line a person can act on: 401 and 403 say what to change. */
  explain(answer: Answer<unknown>): string {
    const { status, body } = answer;
    const said = `${status} ${body.message ?? ''}`.trim();
    if (status === 401) return `${said} (token from ${this.target.tokenFrom})`;
    if (status === 403 && body.code === 'FORBIDDEN') return `${said} (this needs a token with a larger role: operator to acknowledge and silence, admin to reload)`;
    return said;
  }
}

/** Why fetch failed, in its cause's words (ECONNREFUSED, ENOTFOUND, a certificate problem), and where it looked. */
export function unreachable(base: string, from: string, error: unknown): string {
  const { cause } = error as { cause?: { code?: string; message?: string } };
  const why = cause?.message || cause?.code || (error as Error).message;
  return `cannot reach the roomwatch API at ${base} (from ${from}): ${why}; is "roomwatch run" listening there? (--api URL or --config FILE)`;
}
