import type { ConfigIssue, PathSegment, YamlSource } from './yaml-source.js';

/** A config item with where it was written, so that a later check can point at it. */
export interface Located<T> {
  value: T;
  source: YamlSource;
  path: PathSegment[];
}

/** One issue per repeated id, at the repeat, naming where the id was first defined. */
export function duplicates<T extends { id: string }>(items: readonly Located<T>[], what: string): ConfigIssue[] {
  const first = new Map<string, Located<T>>();
  const issues: ConfigIssue[] = [];
  for (const item of items) {
    const earlier = first.get(item.value.id);
    if (earlier) {
      const first = earlier.source.issueAt([...earlier.path, 'id'], '');
      issues.push(item.source.issueAt([...item.path, 'id'], `duplicate ${what} id "${item.value.id}" (first defined at ${first.file}:${first.line})`));
    } else {
      first.set(item.value.id, item);
    }
  }
  return issues;
}
