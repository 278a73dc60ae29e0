import snmp from 'net-snmp';
import type { RemoteInfo, Socket } from 'node:dgram';
import type { DeviceSpec } from '../../common/contracts/device.js';
import type { SnmpColumnPoint, SnmpScalarPoint } from '../../collector/drivers/snmp/types.js';
import { usmUser } from '../../collector/drivers/snmp/client.js';
import { isOidValued, snmpRaw } from './encode-snmp.js';
import { valueKey, type SimValues } from './room-model.js';

export interface SnmpDeviceSource {
  spec: DeviceSpec;
  /** The simulated time the values are for. */
  now(): number;
  values(): SimValues;
  behaviour(): 'normal' | 'silent' | 'garbage';
}

interface Table {
  name: string;
  entry: string;
  columns: SnmpColumnPoint[];
  /** Extra OID-typed columns that name rows (index_names). */
  nameColumns: Map<number, { map: Record<string, string>; indexTag: string }>;
  /** Row indexes now in the MIB (net-snmp drops a table's node with its last row). */
  rows: number[];
}

// At most one refresh per 200 ms of simulated time: values only change as the simulated clock
// moves, and a clock stepped by a test (a recorded trace) moves without any wall time passing.
const REFRESH_MS = 200;

// The parts of net-snmp's Agent and Mib used here; @types/net-snmp does not declare them.
interface Mib {
  registerProvider(definition: object): void;
  setScalarValue(name: string, value: unknown): void;
  getTableColumnDefinitions(name: string): Array<{ number: number }>;
  deleteTableRow(name: string, index: unknown[]): void;
  addTableRow(name: string, row: unknown[]): void;
}
interface Agent {
  getAuthorizer(): { addUser(user: snmp.User): void; addCommunity(community: string): void };
  getMib(): Mib;
  close(): void;
}
const createAgent = (snmp as unknown as { createAgent(options: object, callback: () => void): Agent }).createAgent.bind(snmp);

/**
 * An SNMP agent (net-snmp's Agent, v2c and v3) serving one simulated device on its own UDP port,
 * laid out exactly as the device's template reads it: scalars at their OIDs, table columns in
 * tables whose rows carry the template's index tag values. Values are refreshed from the room
 * model just before a request is served (at most every 200 ms).
 */
export class SimSnmpAgent {
  readonly #agent: Agent;
  readonly #mib: Mib;
  readonly #scalars: Array<{ name: string; point: SnmpScalarPoint }> = [];
  readonly #tables = new Map<string, Table>();
  #refreshedAt = 0;

  constructor(private readonly device: SnmpDeviceSource, port: number, address = '127.0.0.1') {
    const target = device.spec.snmp!;
    this.#agent = createAgent({ port, address, disableAuthorization: false, accessControlModelType: snmp.AccessControlModelType.None }, () => undefined);
    const authorizer = this.#agent.getAuthorizer();
    if (target.version === '3') {
      authorizer.addUser(usmUser(target));
    } else {
      authorizer.addCommunity(target.community!.reveal());
    }
    this.#mib = this.#agent.getMib();
    this.#register();
    this.#intercept();
  }

  close(): void {
    this.#agent.close();
  }

  #register(): void {
    const readOnly = snmp.MaxAccess['read-only'];
    // snmpEngineID (SNMP-FRAMEWORK-MIB), as real agents serve it. It also gives GETNEXT something
    // after the device's own OIDs: net-snmp's agent otherwise repeats the request OID with
    // noSuchInstance instead of answering endOfMibView.
    this.#mib.registerProvider({ name: 'snmpEngineID', type: snmp.MibProviderType.Scalar, oid: '1.3.6.1.6.3.10.2.1.1', scalarType: snmp.ObjectType.OctetString, maxAccess: readOnly });
    this.#mib.setScalarValue('snmpEngineID', `roomwatch-sim-${this.device.spec.id}`);
    this.device.spec.template.points.forEach((point, i) => {
      if (point.kind === 'snmp-scalar') {
        const name = `scalar${i}`;
        this.#mib.registerProvider({
          name, type: snmp.MibProviderType.Scalar, oid: point.oid.replace(/\.0$/, ''), maxAccess: readOnly,
          scalarType: point.valueType === 'number' ? snmp.ObjectType.Integer : snmp.ObjectType.OctetString,
        });
        this.#scalars.push({ name, point });
      } else if (point.kind === 'snmp-column') {
        const entry = point.column.slice(0, point.column.lastIndexOf('.'));
        let table = this.#tables.get(entry);
        if (!table) {
          table = { name: `table${this.#tables.size}`, entry, columns: [], nameColumns: new Map(), rows: [] };
          this.#tables.set(entry, table);
        }
        table.columns.push(point);
        if (point.indexNames) {
          const number = Number(point.indexNames.column.slice(point.indexNames.column.lastIndexOf('.') + 1));
          table.nameColumns.set(number, { map: point.indexNames.map, indexTag: point.indexTag });
        }
      }
    });
    for (const table of this.#tables.values()) {
      const columns = [{ number: 1, name: `${table.name}Index`, type: snmp.ObjectType.Integer, maxAccess: readOnly }];
      for (const [number] of table.nameColumns) columns.push({ number, name: `${table.name}Name${number}`, type: snmp.ObjectType.OID, maxAccess: readOnly });
      for (const point of table.columns) {
        const number = Number(point.column.slice(point.column.lastIndexOf('.') + 1));
        const type = isOidValued(point) ? snmp.ObjectType.OID : point.valueType === 'number' ? snmp.ObjectType.Integer : snmp.ObjectType.OctetString;
        if (!columns.some((c) => c.number === number)) columns.push({ number, name: `${table.name}C${number}`, type, maxAccess: readOnly });
      }
      columns.sort((a, b) => a.number - b.number);
      this.#mib.registerProvider({
        name: table.name, type: snmp.MibProviderType.Table, oid: table.entry, maxAccess: snmp.MaxAccess['not-accessible'],
        tableColumns: columns, tableIndex: [{ columnName: `${table.name}Index` }],
      });
    }
  }

  /**
   * net-snmp looks a request's OIDs up before any provider handler runs, so rows that appear or
   * disappear (the UPS alarm table) must be in place first: refresh on the way in instead.
   */
  #intercept(): void {
    const agent = this.#agent as unknown as Record<string, (socket: Socket, message: unknown, rinfo: RemoteInfo) => void>;
    for (const method of ['getRequest', 'getNextRequest', 'getBulkRequest']) {
      const original = agent[method]!.bind(this.#agent);
      agent[method] = (socket, message, rinfo) => {
        const behaviour = this.device.behaviour();
        if (behaviour === 'silent') return;
        if (behaviour === 'garbage') {
          socket.send(Buffer.from([0x30, 0x82, 0x7f, 0xff, 0x02, 0x01]), rinfo.port, rinfo.address);
          return;
        }
        this.#refresh();
        original(socket, message, rinfo);
      };
    }
  }

  #refresh(): void {
    const now = this.device.now();
    if (Math.abs(now - this.#refreshedAt) < REFRESH_MS) return;
    this.#refreshedAt = now;
    const values = this.device.values();
    for (const { name, point } of this.#scalars) {
      const value = values[valueKey(point.field, point.tags)];
      if (value !== undefined) this.#mib.setScalarValue(name, snmpRaw(point, value));
    }
    for (const table of this.#tables.values()) this.#fillTable(table, values);
  }

  #fillTable(table: Table, values: SimValues): void {
    for (const index of table.rows.splice(0)) this.#mib.deleteTableRow(table.name, [index]);
    // Rows are the distinct values of the index tag found among the model's keys for these columns.
    const tag = table.columns[0]!.indexTag;
    const tagValue = new RegExp(`[[,]${tag}=([^,\\]]+)`);
    const rowNames = new Set<string>();
    for (const point of table.columns) {
      const prefix = `${point.field}[`;
      for (const key of Object.keys(values)) {
        if (!key.startsWith(prefix)) continue;
        const match = tagValue.exec(key);
        if (match) rowNames.add(match[1]!);
      }
    }
    const definitions = this.#mib.getTableColumnDefinitions(table.name) as Array<{ number: number }>;
    [...rowNames].sort().forEach((rowName, i) => {
      const rowIndex = table.nameColumns.size ? i + 1 : Number(rowName);
      const row = definitions.map((column) => {
        if (column.number === 1) return rowIndex;
        const naming = table.nameColumns.get(column.number);
        if (naming) return Object.entries(naming.map).find(([, name]) => name === rowName)?.[0] ?? '0.0';
        const point = table.columns.find((p) => p.column.endsWith(`.${column.number}`))!;
        const value = values[valueKey(point.field, { ...point.tags, [tag]: rowName })];
        return value === undefined ? (point.valueType === 'number' ? 0 : '') : snmpRaw(point, value);
      });
      this.#mib.addTableRow(table.name, row);
      table.rows.push(rowIndex);
    });
  }
}
