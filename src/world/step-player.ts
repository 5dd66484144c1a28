import { LocalWriteError, type ClientEngine, type LocalTask } from '../engines/engine.ts';
import { unreachable } from '../kernel/index.ts';
import type { Step } from '../scenario/index.ts';
import type { World } from './world.ts';

type DeviceAction = Extract<Step, { device: string }>;

/**
 * Plays scenario steps on a world at their virtual times. User actions (create, update,
 * delete) get write ids `<device>#<n>`; one a user could not make — the device does not
 * hold the task, or its app is not running — is recorded as `step.skip`, and one whose
 * local write failed as `step.fail`.
 */
export class StepPlayer {
  private readonly writeCounts = new Map<string, number>();

  constructor(private readonly world: World<ClientEngine>) {}

  schedule(steps: readonly Step[]): void {
    for (const step of steps) this.world.at(step.at, () => void this.play(step));
  }

  private async play(step: Step): Promise<void> {
    const w = this.world;
    switch (step.kind) {
      case 'create':
      case 'update':
      case 'delete':
        return this.userWrite(step);
      case 'createMany':
        for (let i = 1; i <= step.count; i++) {
          await this.userWrite({ ...step, kind: 'create', task: `${step.task}-${i}`, title: `${step.title} ${i}` });
        }
        return;
      case 'sync':
        return this.withApp(step, (app) => app.sync());
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

  /** A terminated app is relaunched by the user's next action; a crashed one waits for `restart`. */
  private withApp<T>(step: DeviceAction, action: (app: ClientEngine) => T): T | undefined {
    const host = this.world.device(step.device);
    // The user acts in the app, so it comes to the foreground first: launched again if the
    // OS killed it, resumed if it was suspended (recorded, like any lifecycle change).
    if ((!host.running && host.terminatedByOs) || (host.running && host.state === 'background')) this.world.foreground(step.device);
    if (!host.running) {
      this.skip(step, 'the app is not running (crashed)');
      return undefined;
    }
    return action(host.app);
  }

  private async userWrite(step: Extract<Step, { kind: 'create' | 'update' | 'delete' }>): Promise<void> {
    await this.withApp(step, async (app) => {
      const write = this.nextWrite(step.device);
      this.world.names.nameWrite(write, step.task);
      try {
        if (step.kind === 'create') {
          await app.create({ title: step.title, completed: step.completed }, { write });
          return;
        }
        const row = await this.rowOf(app, step.task);
        if (row === undefined) return this.skip(step, `${step.device} does not hold task ${step.task}`);
        if (step.kind === 'update') await app.update(row.id, { title: step.title, completed: step.completed }, { write });
        else await app.delete(row.id, { write });
      } catch (error) {
        if (!(error instanceof LocalWriteError)) throw error;
        this.world.trace.recordCustom('step.fail', { device: step.device, step: step.kind, task: step.task, write, error: error.message });
      }
    });
  }

  /** The device's live row for a scenario task, as the user would find it in the list. */
  private async rowOf(app: ClientEngine, task: string): Promise<LocalTask | undefined> {
    const rows = await app.tasks();
    return rows.find((r) => !r.deleted && this.world.names.resolve(r.clientId ?? r.serverId ?? r.id, r.write) === task);
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
