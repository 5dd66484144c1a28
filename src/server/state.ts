import { IdempotencyRecords } from './idempotency.ts';
import { resolveLimits, type ServerLimits } from './limits.ts';
import { UserStore } from './store.ts';

/** The durable part of the server: it survives `restart()`. */
export class ServerState {
  readonly limits: ServerLimits;
  readonly idempotency: IdempotencyRecords;
  /** Live tasks per user; null = no quota. */
  quota: number | null = null;
  private readonly stores = new Map<string, UserStore>();
  private nextId = 1;

  constructor(limits: Partial<ServerLimits> = {}) {
    this.limits = resolveLimits(limits);
    this.idempotency = new IdempotencyRecords(this.limits.maxKeyBytes);
  }

  /** Server task ids come from one counter, so a run's ids depend only on its order of creates. */
  newTaskId(): string {
    return `t${this.nextId++}`;
  }

  store(user: string): UserStore {
    let store = this.stores.get(user);
    if (store === undefined) {
      store = new UserStore();
      this.stores.set(user, store);
    }
    return store;
  }

  peek(user: string): UserStore | undefined {
    return this.stores.get(user);
  }
}
