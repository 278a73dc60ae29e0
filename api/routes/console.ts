import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { projectRoot } from '../../common/config/project-root.js';
import { sendError } from '../errors.js';

export interface ConsoleDirs {
  /** The HTML shell and the stylesheet (console/static). */
  staticDir: string;
  /** The compiled browser modules (dist/console, from `npm run build`). */
  scriptDir: string;
}

export function consoleDirs(root = projectRoot()): ConsoleDirs {
  return { staticDir: join(root, 'console', 'static'), scriptDir: join(root, 'dist', 'console') };
}

/** The console's pages: every one is the same shell; the browser code picks the page by its path. */
export const CONSOLE_PAGES = ['/', '/alerts/:id', '/incidents/:id', '/rooms/:site/:room', '/devices/:id', '/history', '/silences', '/login'] as const;

// Only what the build makes: flat names, no path separators, so no request can reach another file.
const SCRIPT = /^[a-z][a-z0-9-]*\.js(\.map)?$/;
const STYLE = /^[a-z][a-z0-9-]*\.css$/;

/**
 * The page may load its own scripts and styles and talk to its own origin, nothing else: no
 * inline script (the shell has none), no frames around it (clickjacking an acknowledge button).
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The web console (console/, compiled to dist/console): its pages and assets are public, as they
 * hold no data; the data comes from /api with the user's session. @fastify/static does the file
 * serving (ranges, ETags, content types); the routes are declared here so each says its access.
 */
export async function consoleRoutes(app: FastifyInstance, dirs: ConsoleDirs = consoleDirs()): Promise<void> {
  // serve: false: only sendFile, from the roots named per route below; nothing is listed or served by wildcard.
  await app.register(fastifyStatic, { root: dirs.staticDir, serve: false, cacheControl: false });
  const shell = (reply: FastifyReply) => reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' }).sendFile('index.html', dirs.staticDir);
  for (const path of CONSOLE_PAGES) {
    app.get(path, { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) => shell(reply));
  }
  app.get<{ Params: { file: string } }>('/assets/:file', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const { file } = request.params;
    // Revalidated each load: after an upgrade the browser must not mix old and new modules.
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' });
    if (SCRIPT.test(file)) return reply.sendFile(file, dirs.scriptDir);
    if (STYLE.test(file)) return reply.sendFile(file, dirs.staticDir);
    return sendError(reply, 'NOT_FOUND', `no console asset ${file}`);
  });
}
