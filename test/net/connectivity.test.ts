import { describe, expect, it } from 'vitest';
import { Fence, Kernel, RandomStream } from '../../src/kernel/index.ts';
import { ConnectivityMonitor, type ConnectivityState, type Message, Network, type NetworkNode } from '../../src/net/index.ts';
import { TraceRecorder } from '../../src/trace/index.ts';

const node = (id: string): NetworkNode => ({ id, fence: null, receive: (_: Message) => {} });

/** A phone, a tablet and the server; the phone's monitor logs what its listener hears, and when. */
function world() {
  const kernel = new Kernel();
  const network = new Network(kernel, new RandomStream('x'), new TraceRecorder(() => kernel.now));
  for (const id of ['server', 'phone', 'tablet']) network.addNode(node(id));
  const fence = new Fence('phone#1');
  const monitor = new ConnectivityMonitor(network, kernel, 'phone', fence);
  const heard: Array<{ at: number; fence: string | undefined } & ConnectivityState> = [];
  const unsubscribe = monitor.subscribe((state) => heard.push({ at: kernel.now, fence: kernel.currentFence?.name, ...state }));
  return { kernel, network, fence, monitor, heard, unsubscribe };
}

const state = (online: boolean, reachable: boolean, connection: ConnectivityState['connection']) => ({ online, reachable, connection });

describe('ConnectivityMonitor: what it reports', () => {
  it('starts online and reachable over wifi', () => {
    const { monitor } = world();
    expect(monitor.current()).toEqual(state(true, true, 'wifi'));
  });

  it('switch off: not online, not reachable', () => {
    const { network, monitor } = world();
    network.setSwitch('phone', false);
    expect(monitor.current()).toEqual(state(false, false, 'wifi'));
  });

  it('connection "none": not online; cellular: online again', () => {
    const { network, monitor } = world();
    network.setConnection('phone', 'none');
    expect(monitor.current()).toEqual(state(false, false, 'none'));
    network.setConnection('phone', 'cellular');
    expect(monitor.current()).toEqual(state(true, true, 'cellular'));
  });

  it('a partition between the device and the server: online but not reachable', () => {
    const { network, monitor } = world();
    network.partition([['phone'], ['server', 'tablet']]);
    expect(monitor.current()).toEqual(state(true, false, 'wifi'));
    network.heal();
    expect(monitor.current()).toEqual(state(true, true, 'wifi'));
  });

  it('the server going down makes the device unreachable but still online', () => {
    const { network, monitor } = world();
    network.setSwitch('server', false);
    expect(monitor.current()).toEqual(state(true, false, 'wifi'));
  });
});

describe('ConnectivityMonitor: listeners', () => {
  it('are called as tasks of the incarnation, at the time of each change, with the new state', async () => {
    const { kernel, network, heard } = world();
    kernel.at(10, () => network.setSwitch('phone', false));
    kernel.at(20, () => network.setSwitch('phone', true));
    kernel.at(30, () => network.partition([['phone'], ['server']]));
    kernel.at(40, () => network.setConnection('phone', 'cellular'));
    await kernel.runUntilQuiescent();
    expect(heard).toEqual([
      { at: 10, fence: 'phone#1', ...state(false, false, 'wifi') },
      { at: 20, fence: 'phone#1', ...state(true, true, 'wifi') },
      { at: 30, fence: 'phone#1', ...state(true, false, 'wifi') },
      { at: 40, fence: 'phone#1', ...state(true, false, 'cellular') },
    ]);
  });

  it('are not called when nothing the device sees changes', async () => {
    const { kernel, network, heard } = world();
    kernel.at(10, () => network.setSwitch('phone', true)); // already on
    kernel.at(20, () => network.partition([['tablet'], ['phone', 'server']])); // the phone still reaches the server
    kernel.at(30, () => network.setSwitch('tablet', false));
    kernel.at(40, () => network.heal());
    kernel.at(50, () => network.setConnection('phone', 'wifi'));
    await kernel.runUntilQuiescent();
    expect(heard).toEqual([]);
  });

  it('are held while the app is suspended, and hear every change after thaw', async () => {
    const { kernel, network, fence, heard } = world();
    fence.frozen = true;
    kernel.at(10, () => network.setSwitch('phone', false));
    kernel.at(20, () => network.setSwitch('phone', true));
    await kernel.runUntil(50);
    expect(heard).toEqual([]);
    kernel.thaw(fence);
    await kernel.runUntilQuiescent();
    expect(heard.map((h) => [h.at, h.online])).toEqual([
      [50, false],
      [50, true],
    ]);
  });

  it('stop after unsubscribe, and after dispose (even for a change already queued)', async () => {
    const { kernel, network, monitor, heard, unsubscribe } = world();
    const other: boolean[] = [];
    monitor.subscribe((s) => other.push(s.online));
    kernel.at(10, () => network.setSwitch('phone', false));
    kernel.at(10, () => unsubscribe());
    kernel.at(20, () => network.setSwitch('phone', true));
    kernel.at(20, () => monitor.dispose());
    kernel.at(30, () => network.setSwitch('phone', false));
    await kernel.runUntilQuiescent();
    expect(heard).toEqual([]);
    expect(other).toEqual([false]);
  });

  it('of a dead incarnation are never called', async () => {
    const { kernel, network, fence, heard } = world();
    kernel.at(10, () => fence.close());
    kernel.at(20, () => network.setSwitch('phone', false));
    kernel.at(30, () => network.setSwitch('phone', true));
    await kernel.runUntilQuiescent();
    expect(heard).toEqual([]);
  });
});
