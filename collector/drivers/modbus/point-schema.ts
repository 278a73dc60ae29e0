import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { MeaningKeys } from '../driver-config.js';

export const MODBUS_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'bit', 'bool', 'string'] as const;

/** The address keys of a Modbus template point: where the value sits and how it is encoded. */
export const MODBUS_POINT = {
  register: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-4][0-9]{4,5}$' })], {
      description: 'a 1-based reference such as 30001 (input register 0) or 40001 (holding register 0)',
    }),
  ),
  function: Type.Optional(
    Type.Union(['coil', 'discrete_input', 'holding', 'input'].map((f) => Type.Literal(f)), {
      description: 'coil (FC1), discrete_input (FC2), holding (FC3) or input (FC4)',
    }),
  ),
  address: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: '0-based PDU address' })),
  type: Type.Union(
    MODBUS_TYPES.map((t) => Type.Literal(t)),
    { description: MODBUS_TYPES.join(', ') },
  ),
  order: Type.Union(['ABCD', 'CDAB', 'BADC', 'DCBA'].map((o) => Type.Literal(o)), {
    default: 'ABCD',
    description: 'byte/word order: ABCD (big-endian), CDAB (word swap), BADC (byte swap) or DCBA (little-endian)',
  }),
  bit: Type.Optional(Type.Integer({ minimum: 0, maximum: 31, description: 'bit of the register (0..15) or of a 32-bit bit_of value (0..31), 0 = least significant' })),
  bit_of: Type.Optional(
    Type.Union(['uint16', 'int16', 'uint32', 'int32'].map((t) => Type.Literal(t)), {
      description: 'the value a "bit" point counts bits in: uint16/int16 (one register, default) or uint32/int32 (two registers in "order")',
    }),
  ),
  length: Type.Optional(Type.Integer({ minimum: 1, maximum: 125, description: 'registers of a string' })),
};
export type ModbusPointInput = Static<TObject<typeof MODBUS_POINT>> & MeaningKeys;
