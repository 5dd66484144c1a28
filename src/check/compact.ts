import type { AnyTraceEvent, KnownEventType } from '../trace/index.ts';

/**
 * What the checkers keep of an event read from a file: of the message events, which are
 * most of a trace, only what a checker reads (a send's sender, for loss episodes; how
 * many of each kind, for the stats); of events no checker knows, the header. Every other
 * event is kept whole. The checkers judge the compact events exactly as the whole ones
 * (test/check/compact.test.ts), in a fraction of the memory: `syncsim check` reads a
 * trace of millions of events this way.
 */
export function compactForCheckers(): (event: AnyTraceEvent) => AnyTraceEvent {
  // One string per sender name (and unknown type), however many events name it.
  const names = new Map<string, string>();
  const intern = (name: string) => {
    const known = names.get(name);
    if (known !== undefined) return known;
    names.set(name, name);
    return name;
  };
  return (event) => {
    switch (event.type as KnownEventType) {
      case 'msg.send':
        return { seq: event.seq, t: event.t, type: 'msg.send', from: intern((event as { from: string }).from) } as AnyTraceEvent;
      case 'msg.deliver':
        return { seq: event.seq, t: event.t, type: 'msg.deliver' } as AnyTraceEvent;
      case 'msg.dup':
        return { seq: event.seq, t: event.t, type: 'msg.dup' } as AnyTraceEvent;
      case 'run.start': case 'op': case 'msg.drop': case 'fault': case 'server.apply': case 'device.apply': case 'snapshot':
      case 'check': case 'invoke': case 'ok': case 'fail': case 'read': case 'engine-error': case 'run.end':
        return event;
      default:
        return { seq: event.seq, t: event.t, type: intern(event.type) };
    }
  };
}
