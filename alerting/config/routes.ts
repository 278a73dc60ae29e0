import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { AlertingConfigInput } from './schema.js';

export interface RouteSettings {
  severities?: string[];
  match?: { site?: string; room?: string; device?: string; device_type?: string };
  receivers: string[];
  escalateAfterMs?: number;
  escalateTo?: string[];
}

/**
 * `known` holds the receiver ids as written, not the compiled ones: a receiver with a bad key is
 * still one a route may name, and its own issue already says what is wrong with it.
 */
export function compileRoutes(input: AlertingConfigInput['routes'], known: ReadonlySet<string>, source: YamlSource, path: readonly PathSegment[], issues: ConfigIssue[]): RouteSettings[] {
  return input.map((route, i) => {
    const at: PathSegment[] = [...path, i];
    [...route.receivers, ...(route.escalate_to ?? [])].forEach((id) => {
      if (!known.has(id)) issues.push(source.issueAt(at, `unknown receiver "${id}"; receivers are: ${[...known].join(', ') || '(none defined)'}`));
    });
    if ((route.escalate_after === undefined) !== (route.escalate_to === undefined)) issues.push(source.issueAt(at, '"escalate_after" and "escalate_to" go together'));
    return { severities: route.severities, match: route.match, receivers: route.receivers, escalateAfterMs: route.escalate_after ? parseDuration(route.escalate_after) : undefined, escalateTo: route.escalate_to };
  });
}
