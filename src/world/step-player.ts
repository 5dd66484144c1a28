import { isLocalWriteError, type ClientEngine, type Row } from '../engines/engine.ts';
import { unreachable } from '../kernel/index.ts';
import type { ReadCause, TaskValue } from '../trace/index.ts';
import type { Step } from '../scenario/index.ts';
import type { World } from './world.ts';

type DeviceAction = Extract<Step, { device: string }>;
type UserWrite = Extract<Step, { kind: 'create' | 'update' | 'delete' }>;

/** What an engine call came to: its value, a LocalWriteError (the user is told), or an engine error (recorded). */
type Outcome<T> = { ok: true; value: T } | { ok: false; refused: string | null };

/** The message of a LocalWriteError (known by its name, SPEC §3.1), or null for any other error. */
function localWriteError(error: unknown): string | null {
  if (!isLocalWriteError(error)) return null;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : 'local write failed';
}

/**
 * Plays scenario steps on a world at their virtual times, and records the users' history
 * (world.history): each write as `invoke`, then `ok` or `fail`, with a `read` of the list
 * after it (the UI refreshes), before an edit (the user finds the task) and at `read`
 * steps. Writes get ids `<device>#<n>`. A step a user could not take — the device does not
 * hold the task, or its app is not running — is recorded as `step.skip`. An engine call
 * that throws anything but a LocalWriteError is recorded as `engine-error`.
 */
export class StepPlayer {
  private readonly writeCounts = new Map<string, number>();
  /** Engine calls not settled yet, with the incarnation they were made in. */
  private readonly pending = new Set<{ step: DeviceAction; name: string; incarnation: number }>();

  constructor(private readonly world: World<ClientEngine>) {}

  /** Per device, the user's action in progress (in the app incarnation it began in). */
  private readonly busy = new Map<string, { incarnation: number; done: Promise<void> }>();

  schedule(steps: readonly Step[]): void {
    for (const step of steps) this.world.at(step.at, () => void (isUserAction(step) ? this.inTurn(step, () => this.play(step)) : this.play(step)));
  }

  /**
   * A user does one thing at a time: an action on a device starts once the previous one
   * there has returned (at the same virtual instant, since a local commit takes no time),
   * so an edit sees the row the previous edit left. An action of an app that has died since
   * holds nothing up.
   */
  private inTurn(step: DeviceAction, action: () => Promise<void>): Promise<void> {
    const incarnation = this.world.device(step.device).incarnation;
    const previous = this.busy.get(step.device);
    const done = (previous !== undefined && previous.incarnation === incarnation ? previous.done : Promise.resolve()).then(action);
    this.busy.set(step.device, { incarnation, done });
    return done;
  }

  private async play(step: Step): Promise<void> {
    const w = this.world;
    switch (step.kind) {
      case 'create':
      case 'update':
      case 'delete':
        return this.userWrite(step);
      case 'createMany': {
        const app = this.appFor(step);
        if (app === undefined) return;
        for (let i = 1; i <= step.count; i++) {
          const ok = await this.write(app, { ...step, kind: 'create', task: `${step.task}-${i}`, title: `${step.title} ${i}` });
          if (!ok) break;
        }
        // One refresh after the whole import: a read per created task would cost the square of the count.
        return this.read(app, step, 'write');
      }
      case 'sync': {
        const app = this.appFor(step);
        if (app !== undefined) this.callSync(step, 'sync', () => app.sync());
        return;
      }
      case 'read': {
        const app = this.appFor(step);
        return app === undefined ? undefined : this.read(app, step, 'step');
      }
      case 'offline':
        return w.setOffline(step.device, true);
      case 'online':
        return w.setOffline(step.device, false);
      case 'app':
        if (step.state === 'background') return w.background(step.device);
        if (step.state === 'foreground') return w.foreground(step.device);
        return w.terminate(step.device);
      case 'connection':
        return w.setConnection(step.device, step.connection);
      case 'backgroundRefresh':
        return w.grantRefresh(step.device, step.ms);
      case 'storage':
        return w.failWrites(step.device, step.failWrites);
      case 'drop':
        return w.addDropRule(step.rule);
      case 'partition':
        return w.partition(step.groups);
      case 'heal':
        return w.heal();
      case 'crash':
        return w.crash(step.device);
      case 'restart':
        return w.restart(step.device);
      case 'server-unavailable':
        return w.serverUnavailable(step.ms);
      case 'server-rate-limit':
        return w.serverRateLimit(step.limit);
      case 'server-quota':
        return w.serverQuota(step.limit);
      case 'server-restart':
        return w.restartServer();
      case 'network':
        return w.setNetwork(step.conditions);
      case 'clock':
        return w.setSkew(step.device, step.skew, step.drift);
      default:
        return unreachable(step, 'step');
    }
  }

  /**
   * The app the user acts in. It comes to the foreground first: launched again if the OS
   * killed it, resumed if it was suspended (recorded, like any lifecycle change). A crashed
   * app waits for `restart`: the step is skipped.
   */
  private appFor(step: DeviceAction): ClientEngine | undefined {
    const host = this.world.device(step.device);
    if ((!host.running && host.terminatedByOs) || (host.running && host.state === 'background')) this.world.foreground(step.device);
    if (!host.running) {
      this.skip(step, 'the app is not running (crashed)');
      return undefined;
    }
    return host.app;
  }

  private async userWrite(step: UserWrite): Promise<void> {
    const app = this.appFor(step);
    if (app === undefined) return;
    await this.write(app, step);
    await this.read(app, step, 'write');
  }

  /** One user write, recorded as invoke → ok | fail. Resolves to false when the engine failed (an engine error). */
  private async write(app: ClientEngine, step: UserWrite): Promise<boolean> {
    const { history } = this.world;
    const write = this.nextWrite(step.device);
    if (step.kind === 'create') {
      history.invoke(step.device, write, 'create', step.task, { title: step.title, completed: step.completed ?? false, deleted: false }, null);
      const created = await this.call(step, 'create', () => app.create({ title: step.title, completed: step.completed }, { write }));
      if (created.ok && typeof created.value !== 'string') {
        history.engineError(step.device, step.line, 'create', new TypeError(`create resolved to ${JSON.stringify(created.value) ?? 'undefined'}, not the task's id`));
        return false;
      }
      return this.answer(write, created, created.ok ? created.value : undefined);
    }
    const row = await this.rowOf(app, step);
    if (row === null) return false;
    if (row === undefined) {
      this.skip(step, `${step.device} does not hold task ${step.task}`);
      return true;
    }
    // The value the user ends up with: fields the step leaves alone keep the row's.
    const value: TaskValue = step.kind === 'update'
      ? { title: step.title ?? row.title, completed: step.completed ?? row.completed, deleted: false }
      : { title: row.title, completed: row.completed, deleted: true };
    history.invoke(step.device, write, step.kind, step.task, value, history.basisOf(step.task, row));
    const done = step.kind === 'update'
      ? await this.call(step, 'update', () => app.update(row.id, changes(step), { write }))
      : await this.call(step, 'delete', () => app.delete(row.id, { write }));
    return this.answer(write, done);
  }

  private answer(write: string, outcome: Outcome<unknown>, id?: string): boolean {
    if (outcome.ok) this.world.history.ok(write, id);
    else if (outcome.refused !== null) this.world.history.fail(write, outcome.refused);
    return outcome.ok || outcome.refused !== null;
  }

  /** The device's live row for the step's task, as the user finds it in the list (a read); null on an engine error. */
  private async rowOf(app: ClientEngine, step: UserWrite): Promise<Row | undefined | null> {
    const rows = await this.call(step, 'tasks', () => app.tasks());
    if (!rows.ok) return null;
    this.world.history.read(step.device, 'edit', rows.value);
    return rows.value.find((r) => r.deleted !== true && this.world.history.taskOf(step.device, r) === step.task);
  }

  /** Records what the device's list shows now. */
  private async read(app: ClientEngine, step: DeviceAction, cause: ReadCause): Promise<void> {
    const rows = await this.call(step, 'tasks', () => app.tasks());
    if (rows.ok) this.world.history.read(step.device, cause, rows.value);
  }

  private async call<T>(step: DeviceAction, name: string, work: () => Promise<T>): Promise<Outcome<T>> {
    const host = this.world.device(step.device);
    const call = { step, name, incarnation: host.incarnation };
    this.pending.add(call);
    try {
      return { ok: true, value: await host.asApp(work) };
    } catch (error) {
      const refused = localWriteError(error);
      if (refused === null) this.world.history.engineError(step.device, step.line, name, error);
      return { ok: false, refused };
    } finally {
      this.pending.delete(call);
    }
  }

  /**
   * At the end of the run: every engine call still unsettled on an app that is still
   * running (a crash or an OS kill excuses a call: the process that owed the answer died)
   * is an engine error naming the call and its step.
   */
  reportUnsettled(): void {
    for (const { step, name, incarnation } of this.pending) {
      const host = this.world.device(step.device);
      if (!host.running || host.incarnation !== incarnation) continue;
      const error = new Error(`${name}() on ${step.device} never settled (the ${step.kind} step at line ${step.line})`);
      error.name = 'UnsettledCall';
      error.stack = '';
      this.world.history.engineError(step.device, step.line, name, error);
    }
  }

  private callSync(step: DeviceAction, name: string, work: () => void): void {
    try {
      this.world.device(step.device).asApp(work);
    } catch (error) {
      this.world.history.engineError(step.device, step.line, name, error);
    }
  }

  private nextWrite(device: string): string {
    const n = (this.writeCounts.get(device) ?? 0) + 1;
    this.writeCounts.set(device, n);
    return `${device}#${n}`;
  }

  private skip(step: DeviceAction, reason: string): void {
    this.world.trace.recordCustom('step.skip', { device: step.device, step: step.kind, task: 'task' in step ? step.task : null, reason, line: step.line });
  }
}

const USER_ACTIONS: ReadonlySet<Step['kind']> = new Set(['create', 'createMany', 'update', 'delete', 'sync', 'read']);

/** A step the user takes in the app (the others are the OS's, the network's, the server's). */
function isUserAction(step: Step): step is DeviceAction {
  return USER_ACTIONS.has(step.kind);
}

/** The fields an update step changes, and only those. */
function changes(step: Extract<Step, { kind: 'update' }>): { title?: string; completed?: boolean } {
  return { ...(step.title !== undefined && { title: step.title }), ...(step.completed !== undefined && { completed: step.completed }) };
}
