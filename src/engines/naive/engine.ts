import { LocalWriteError, type ClientEngine, type QueuedOperation, type WriteLabel } from '../engine.ts';
import type { EnginePorts } from '../ports.ts';
import { LocalDataSource, type SyncOperation } from './local-db.ts';
import { NetworkService, stampOf, uuid } from './network-service.ts';
import { NaiveSyncEngine, taskRef } from './sync-engine.ts';
import type { NaiveTask } from './task.ts';

/**
 * The design document's TaskRepository: save locally, then enqueue, then trigger a sync.
 * DEFECT: the row and its queued operation are two transactions; a crash or a failed
 * write between them leaves a change that will never be sent.
 */
export class NaiveEngine implements ClientEngine {
  readonly ready: Promise<void>;
  private readonly local: LocalDataSource;
  private readonly syncEngine: NaiveSyncEngine;

  constructor(private readonly ports: EnginePorts) {
    this.local = new LocalDataSource(ports.indexedDB);
    this.syncEngine = new NaiveSyncEngine(ports, new NetworkService(ports), this.local);
    // On launch: resume pending sync.
    this.ready = this.local.getAllTasks().then(() => this.syncEngine.triggerSync());
  }

  async create(value: { title: string; completed?: boolean }, label: WriteLabel): Promise<string> {
    const now = this.ports.clock.now();
    const id = uuid(this.ports.random);
    const task: NaiveTask = {
      id, clientId: id, serverId: null, title: value.title, completed: value.completed ?? false, deleted: false,
      createdAt: now, updatedAt: now, write: label.write, syncStatus: 'pending',
    };
    await this.guard(this.local.save(task));
    this.recordOp('create', task, null);
    await this.enqueue('create', task);
    return id;
  }

  async update(id: string, change: { title?: string; completed?: boolean }, label: WriteLabel): Promise<void> {
    const task = await this.local.getTask(id);
    if (task === undefined) throw new LocalWriteError(`no task ${id}`);
    const updated: NaiveTask = { ...task, ...change, updatedAt: this.ports.clock.now(), write: label.write, syncStatus: 'pending' };
    await this.guard(this.local.update(updated));
    this.recordOp('update', updated, task.write);
    await this.enqueue('update', updated);
  }

  async delete(id: string, label: WriteLabel): Promise<void> {
    const task = await this.local.getTask(id);
    if (task === undefined) throw new LocalWriteError(`no task ${id}`);
    await this.guard(this.local.delete(id));
    this.recordOp('delete', { ...task, deleted: true, updatedAt: this.ports.clock.now(), write: label.write }, task.write);
    await this.enqueue('delete', null, id);
  }

  sync(): void {
    this.syncEngine.triggerSync();
  }

  tasks(): Promise<NaiveTask[]> {
    return this.local.getAllTasks();
  }

  async queue(): Promise<QueuedOperation[]> {
    const ops = await this.local.getPendingSyncOperations();
    return ops.map((op) => ({ kind: op.type, task: op.taskData ? taskRef(op.taskData) : op.taskId, write: op.taskData?.write ?? null, attempts: op.retryCount }));
  }

  private async enqueue(type: SyncOperation['type'], task: NaiveTask | null, taskId = task?.id ?? ''): Promise<void> {
    const operation: SyncOperation = { id: uuid(this.ports.random), type, taskId, taskData: task, createdAt: this.ports.clock.now(), retryCount: 0 };
    await this.guard(this.local.saveSyncOperation(operation));
    this.syncEngine.triggerSync();
  }

  private recordOp(kind: 'create' | 'update' | 'delete', task: NaiveTask, basis: string | null): void {
    const { deviceId, trace } = this.ports;
    const value = { title: task.title, completed: task.completed, deleted: task.deleted };
    trace.record('op', { device: deviceId, write: task.write!, kind, task: taskRef(task), value, basis, stamp: stampOf(task.updatedAt) });
    trace.record('device.apply', { device: deviceId, task: taskRef(task), write: task.write, source: 'local' });
  }

  private async guard(write: Promise<void>): Promise<void> {
    try {
      await write;
    } catch (error) {
      throw new LocalWriteError(`local write failed: ${(error as Error).name}`);
    }
  }
}
