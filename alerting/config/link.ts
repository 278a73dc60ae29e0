import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';

/**
 * The base of the link every message carries (`<base>/alerts/<id>`, the console's page): alerting.link_url, else
 * the console's URL, else the API itself. An API listening on every interface is reached by the
 * host's name; one on loopback opens only on this host, which `validate` says when messages go out.
 */
export function resolveLinkUrl(
  input: { link_url?: string; console_url?: string },
  apiListen: string,
  receivers: number,
  source: YamlSource,
  path: readonly PathSegment[],
  hostName: string,
): { url: string; warnings: ConfigIssue[] } {
  const given = input.link_url ?? input.console_url;
  const colon = apiListen.lastIndexOf(':');
  const host = apiListen.slice(0, colon);
  const url = (given ?? `http://${host === '0.0.0.0' || host === '::' ? hostName : host}:${apiListen.slice(colon + 1)}`).replace(/\/+$/, '');
  const warnings: ConfigIssue[] = [];
  if (receivers > 0 && isLoopback(url)) {
    const where: PathSegment[] = input.link_url !== undefined ? [...path, 'link_url'] : input.console_url !== undefined ? [...path, 'console_url'] : [...path];
    warnings.push(source.warningAt(where, `the link in messages (${url}) opens only on this host; set alerting.link_url to an address the receivers' readers can reach`, input.link_url === undefined && input.console_url === undefined));
  }
  return { url, warnings };
}

function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}
