import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../api/access.js';
import { hashToken, LEGACY_TOKEN_NAME, newToken } from '../api/credentials.js';

export const TOKEN_USAGE = `roomwatch token new --name NAME --role viewer|operator|admin
  make an API token: prints it once, then the api.users line (its hash) to add to the configuration
roomwatch token hash   reads a token on stdin and prints its token_hash`;

/** Where the command writes and reads, so tests call it in-process. */
export interface TokenIo {
  out(text: string): void;
  err(text: string): void;
  stdin(): Promise<string>;
}

const processIo: TokenIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** The api.users entry for a user, one YAML line (the name quoted as JSON, which YAML reads as is). */
export function userLine(name: string, role: Role, tokenHash: string): string {
  return `- { name: ${JSON.stringify(name)}, role: ${role}, token_hash: "${tokenHash}" }`;
}

/** Why a name cannot be a user's, as the configuration would say; undefined when it can. */
function nameProblem(name: string): string | undefined {
  if (name === LEGACY_TOKEN_NAME) return `"${LEGACY_TOKEN_NAME}" is the name of the legacy api.token`;
  // eslint-disable-next-line no-control-regex
  if (!(name.length >= 1 && name.length <= 64) || /[\u0000-\u001f\u007f]/.test(name)) return 'a name is 1 to 64 characters without control characters';
  return undefined;
}

/**
 * `roomwatch token`: new tokens for api.users. The token goes to stdout once and is kept nowhere;
 * the configuration only ever holds its hash. What to do with each line goes to stderr, so stdout
 * is exactly the token and the line to paste.
 */
export async function tokenCommand(argv: string[], io: TokenIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { name: { type: 'string' }, role: { type: 'string' } }, allowPositionals: true, strict: true });
  const usage = (problem: string) => {
    io.err(`roomwatch token: ${problem}\n${TOKEN_USAGE}\n`);
    return 2;
  };
  const [action, ...extra] = positionals;
  if (extra.length) return usage(`unexpected ${extra.join(' ')}`);
  if (action === 'hash') {
    const token = (await io.stdin()).replace(/\r?\n$/, '');
    if (!token) return usage('hash: no token on stdin');
    io.out(`${hashToken(token)}\n`);
    return 0;
  }
  if (action !== 'new') return usage(action === undefined ? 'new or hash?' : `unknown action "${action}"`);
  if (values.name === undefined) return usage('new: --name NAME is required');
  const problem = nameProblem(values.name);
  if (problem) return usage(`--name: ${problem}`);
  if (!ROLES.includes(values.role as Role)) return usage(`--role: expected one of ${ROLES.join(', ')}`);
  const token = newToken();
  io.out(`${token}\n`);
  io.err(`The token above is shown only this once: give it to ${values.name} and keep it secret. 令牌只显示这一次，请交给 ${values.name} 并妥善保管。\n`);
  io.err('Add the next line under api.users in the configuration, then reload (SIGHUP). 将下一行加入配置的 api.users，然后重新加载。\n');
  io.out(`${userLine(values.name, values.role as Role, hashToken(token))}\n`);
  return 0;
}
