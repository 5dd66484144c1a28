import type { StepKindTable } from './step-kind.ts';
import type { AppState } from './types.ts';
import { dur } from './yaml-text.ts';

/** What a user or the OS does to one device besides writing: connectivity, refreshes, lifecycle, storage. */
export const DEVICE_STEP_KINDS = {
  // Flag steps (`offline: true`): only `true` means anything.
  offline: {
    key: 'offline',
    device: true,
    example: 'device: phone, offline: true',
    read: (value, start, { read: r }) => (r.isTrue(value, 'offline') ? { ...start, kind: 'offline' } : undefined),
    write: () => 'true',
  },
  online: {
    key: 'online',
    device: true,
    example: 'device: phone, online: true',
    read: (value, start, { read: r }) => (r.isTrue(value, 'online') ? { ...start, kind: 'online' } : undefined),
    write: () => 'true',
  },
  sync: {
    key: 'sync',
    device: true,
    example: 'device: ipad, sync: true',
    read: (value, start, { read: r }) => (r.isTrue(value, 'sync') ? { ...start, kind: 'sync' } : undefined),
    write: () => 'true',
  },
  read: {
    key: 'read',
    device: true,
    example: 'device: phone, read: true',
    read: (value, start, { read: r }) => (r.isTrue(value, 'read') ? { ...start, kind: 'read' } : undefined),
    write: () => 'true',
  },
  app: {
    key: 'app',
    device: true,
    example: 'device: phone, app: background',
    read(value, start, { read: r }) {
      const state = r.oneOf<AppState>(value, 'app', ['background', 'foreground', 'terminate']);
      return state && { ...start, kind: 'app', state };
    },
    write: (step) => step.state,
  },
  connection: {
    key: 'connection',
    device: true,
    example: 'device: phone, connection: cellular',
    read(value, start, { read: r }) {
      const connection = r.oneOf(value, 'connection', ['wifi', 'cellular', 'none'] as const);
      return connection && { ...start, kind: 'connection', connection };
    },
    write: (step) => step.connection,
  },
  backgroundRefresh: {
    key: 'backgroundRefresh',
    device: true,
    example: 'device: phone, backgroundRefresh: 30s',
    read(value, start, { read: r }) {
      const ms = r.duration(value, 'backgroundRefresh', { positive: true });
      return ms === undefined ? undefined : { ...start, kind: 'backgroundRefresh', ms };
    },
    write: (step) => dur(step.ms),
  },
  storage: {
    key: 'storage',
    device: true,
    example: 'device: ipad, storage: { failWrites: 2 }',
    read(value, start, { read: r }) {
      const f = r.map(value, 'storage', ['failWrites']);
      const n = f?.required('failWrites');
      const failWrites = n && r.number(n, 'failWrites', { integer: true, positive: true });
      return failWrites === undefined ? undefined : { ...start, kind: 'storage', failWrites };
    },
    write: (step) => `{ failWrites: ${step.failWrites} }`,
  },
} satisfies StepKindTable<'offline' | 'online' | 'sync' | 'read' | 'app' | 'connection' | 'backgroundRefresh' | 'storage'>;
