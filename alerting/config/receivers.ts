import { Type, type TObject } from '@sinclair/typebox';
import { Receiver, type ReceiverInput } from './schema.js';
import type { Secret } from '../../common/config/secret.js';
import { parseDuration } from '../../common/config/units.js';
import { validateAgainst } from '../../common/config/validate.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { Language } from '../notify/render-common.js';
import type { ReceiverBase } from '../notify/notifier.js';
import { notifierFor, type ReceiverSettings } from '../notify/registry.js';

export interface ReceiverContext {
  source: YamlSource;
  /** Path of the receivers list, e.g. ['alerting', 'receivers']. */
  path: readonly PathSegment[];
  baseDir: string;
  /** alerting.language: a receiver without its own language speaks this one. */
  language: Language;
  issues: ConfigIssue[];
  resolveSecret(value: string | { env: string }, path: PathSegment[]): Secret;
}

// A type's full receiver schema: the base keys, then its own, strict. Built once per type.
const fullSchemas = new Map<string, TObject>();
function fullSchema(type: string): TObject {
  let schema = fullSchemas.get(type);
  if (!schema) {
    schema = Type.Object({ ...Receiver.properties, ...(notifierFor(type).schema as TObject).properties }, { additionalProperties: false });
    fullSchemas.set(type, schema);
  }
  return schema;
}

/**
 * Second pass over receivers that passed the base schema: each against its own type's keys, then
 * that type's compile step. A receiver with problems is left out; its issues say why.
 */
export function compileReceivers(inputs: readonly ReceiverInput[], ctx: ReceiverContext): ReceiverSettings[] {
  const receivers: ReceiverSettings[] = [];
  inputs.forEach((input, i) => {
    const at: PathSegment[] = [...ctx.path, i];
    const here = ctx.source.issueAt(at, '').path;
    // A key the type needs is named with the type, as before the schemas were split per type.
    const problems = validateAgainst(fullSchema(input.type), input, ctx.source, at).map((issue) => {
      const missing = issue.path === here ? /^missing required key "(.+)"$/.exec(issue.message) : null;
      return missing ? { ...issue, message: `a ${input.type} receiver needs "${missing[1]}"` } : issue;
    });
    if (problems.length) {
      ctx.issues.push(...problems);
      return;
    }
    const base: ReceiverBase = { id: input.id, type: input.type, language: input.language ?? ctx.language, timeoutMs: parseDuration(input.timeout!) };  // the schema's default fills timeout
    const definition = notifierFor(input.type);
    receivers.push(
      definition.compile(input, base, {
        source: ctx.source,
        at,
        baseDir: ctx.baseDir,
        issues: ctx.issues,
        secret: (value, key) => ctx.resolveSecret(value, [...at, ...key]),
      }) as ReceiverSettings,
    );
  });
  return receivers;
}
