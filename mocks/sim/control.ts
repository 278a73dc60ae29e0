import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import type { RoomSimulator } from './room-simulator.js';
import { loadScenario, startScenario } from './scenario.js';
import { parseDuration } from '../../common/config/units.js';

/**
 * The simulator's control endpoint (loopback only), for tests and drills to inject a fault at a
 * chosen moment. Three routes on node:http: fastify would add nothing to a drill tool this small.
 *   GET  /state                          simulated time, scale, active faults, room climate
 *   POST /faults {fault, target, for?}   inject now ("for" as "10m"; omitted = until cleared)
 *   DELETE /faults?fault=K&target=T      clear
 *   POST /scenarios {name}               start a scenario by name or file
 *   POST /time-scale {scale}             change the speed of simulated time
 */
export function startControl(simulator: RoomSimulator, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    handle(simulator, request, response).catch((error: unknown) => reply(response, 500, { error: (error as Error).message }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

async function handle(simulator: RoomSimulator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = `${request.method} ${url.pathname}`;
  if (route === 'GET /state') {
    const now = simulator.clock.now();
    const rooms = [...new Set(simulator.devices.map((d) => d.room))].map((room) => ({ room, ...simulator.model.roomState(room) }));
    return reply(response, 200, { simulated_time: new Date(now).toISOString(), time_scale: simulator.clock.scale, faults: simulator.faults.active(now), rooms, devices: simulator.devices.length });
  }
  if (route === 'POST /faults') {
    const body = (await readJson(request)) as { fault?: string; target?: string; for?: string };
    if (!body.fault || !FAULT_KINDS.includes(body.fault as FaultKind)) return reply(response, 400, { error: `"fault" must be one of: ${FAULT_KINDS.join(', ')}` });
    if (!body.target) return reply(response, 400, { error: '"target" (a device, room or site id, or "*") is required' });
    let durationMs: number | undefined;
    try {
      durationMs = body.for ? parseDuration(body.for) : undefined;
    } catch (error) {
      return reply(response, 400, { error: (error as Error).message });
    }
    simulator.inject(body.fault as FaultKind, body.target, durationMs);
    return reply(response, 200, { injected: body });
  }
  if (route === 'DELETE /faults') {
    const cleared = simulator.faults.clear(url.searchParams.get('fault') as FaultKind, url.searchParams.get('target') ?? '');
    return reply(response, cleared ? 200 : 404, { cleared });
  }
  if (route === 'POST /scenarios') {
    const body = (await readJson(request)) as { name?: string };
    const { scenario, issues } = loadScenario(body.name ?? '');
    if (!scenario) return reply(response, 400, { error: issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`).join('\n') });
    startScenario(simulator, scenario);
    return reply(response, 200, { started: scenario.name, time_scale: simulator.clock.scale });
  }
  if (route === 'POST /time-scale') {
    const body = (await readJson(request)) as { scale?: number };
    if (typeof body.scale !== 'number' || body.scale <= 0) return reply(response, 400, { error: '"scale" must be a positive number' });
    simulator.clock.setScale(body.scale);
    return reply(response, 200, { time_scale: body.scale });
  }
  reply(response, 404, { error: `no route ${route}` });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text ? JSON.parse(text) : {};
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(`${JSON.stringify(body)}\n`);
}
