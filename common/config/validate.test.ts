import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { DeviceFile } from '../../collector/devices/schema.js';
import { MainConfig } from '../../app/config/main-schema.js';
import { templatePointSchema, templateSchema } from '../../collector/templates/schema.js';
import { modbusDriver } from '../../collector/drivers/modbus/index.js';
import { snmpDriver } from '../../collector/drivers/snmp/index.js';
import { TemplateRule } from '../../alerting/config/template-rules.js';

/** Every schema node under `schema` that constrains text by a regular expression, with its path. */
function patterned(schema: unknown, path: string, inUnion: boolean, out: Array<{ path: string; node: Record<string, unknown>; inUnion: boolean }>): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (typeof node.pattern === 'string') out.push({ path, node, inUnion });
  for (const [key, child] of Object.entries(node)) {
    if (key === 'anyOf' && Array.isArray(child)) child.forEach((branch, i) => patterned(branch, `${path}|${i}`, true, out));
    else if (key === 'properties' || key === 'patternProperties') for (const [name, sub] of Object.entries(child as object)) patterned(sub, `${path}.${name}`, inUnion, out);
    else if (key === 'items' || key === 'additionalProperties') patterned(child, `${path}[]`, inUnion, out);
  }
}

describe('configuration schemas', () => {
  it('say in words what every pattern expects, so no error shows a regular expression', () => {
    const found: Array<{ path: string; node: Record<string, unknown>; inUnion: boolean }> = [];
    const schemas: Record<string, TSchema> = { MainConfig, DeviceFile, Template: templateSchema(TemplateRule), SnmpPoint: templatePointSchema(snmpDriver), ModbusPoint: templatePointSchema(modbusDriver) };
    for (const [name, schema] of Object.entries(schemas)) patterned(schema, name, false, found);
    expect(found.length).toBeGreaterThan(20);
    // A branch of a union is reported through the union's own description (validate.ts summarise).
    const undescribed = found.filter((f) => !f.inUnion && (typeof f.node.description !== 'string' || /[\^$\\]/.test(f.node.description))).map((f) => f.path);
    expect(undescribed).toEqual([]);
  });
});
