import { Kernel, RandomStream } from '../src/kernel/index.ts';
import { Network, type Message, type NetworkNode } from '../src/net/index.ts';
import { TraceRecorder } from '../src/trace/index.ts';
import { bestOf, timed, type Figures } from './report.ts';

/**
 * Messages through the network with faults on (10% drop, 10% duplicate, reordering,
 * a partition that comes and goes), every event recorded in a trace: 10 devices keep
 * 5 requests each in flight; the server answers every request.
 */
async function messageRate(): Promise<number> {
  const kernel = new Kernel();
  const trace = new TraceRecorder(() => kernel.now);
  const network = new Network(kernel, new RandomStream('bench'), trace, {
    latency: { min: 1, max: 50 },
    drop: 0.1,
    duplicate: 0.1,
    reorder: true,
  });
  const budget = 400_000;
  const devices: string[] = [];
  const server: NetworkNode = {
    id: 'server',
    fence: null,
    receive: (m: Message) => void network.send('server', m.from, { method: m.method, path: m.path, headers: {}, body: '{"ok":true}', status: 200, reply: m }),
  };
  network.addNode(server);
  const request = (from: string) => {
    if (network.stats.sent < budget) network.send(from, 'server', { method: 'POST', path: '/v1/sync/batch', headers: {}, body: '{"operations":[]}' });
  };
  for (let i = 0; i < 10; i++) {
    const id = `d${i}`;
    devices.push(id);
    // A device sends again when a reply lands, and on a retry timer (lost messages).
    network.addNode({ id, fence: null, receive: () => request(id) });
    const retry = () => {
      request(id);
      if (network.stats.sent < budget) kernel.schedule(200, retry);
    };
    for (let k = 0; k < 5; k++) kernel.schedule(k, retry);
  }
  const flap = () => {
    if (network.partitions.active) network.heal();
    else network.partition([['d0', 'd1'], ['server', ...devices.slice(2)]]);
    if (network.stats.sent < budget) kernel.schedule(1_000, flap);
  };
  kernel.schedule(500, flap);
  const ms = await timed(() => kernel.runUntilQuiescent().then(() => undefined));
  return ((network.stats.sent + network.stats.duplicated) / ms) * 1000;
}

export async function benchNetwork(): Promise<Figures> {
  return { 'net.messages_per_s': { value: Math.round(await bestOf(3, messageRate)), unit: 'messages/s' } };
}
