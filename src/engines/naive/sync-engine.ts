import type { NaiveTask } from './task.ts';
import type { EnginePorts } from '../ports.ts';
import type { LocalDataSource, SyncOperation } from './local-db.ts';
import { stampOf, uuid, type NetworkService, type ServerTask } from './network-service.ts';

/**
 * The design document's SyncEngine, literally: pull everything, resolve by comparing
 * `updatedAt`, then push the queue one operation at a time. Its defects are marked DEFECT.
 */
export class NaiveSyncEngine {
  private isSyncing = false;
  private readonly maxRetries = 3;

  constructor(
    private readonly ports: EnginePorts,
    private readonly network: NetworkService,
    private readonly local: LocalDataSource,
  ) {
    // Observe connectivity changes. DEFECT: this and local writes are the only triggers —
    // "will retry on next connectivity change"; no timer ever retries a failed sync.
    ports.connectivity.subscribe((state) => {
      if (state.online) void this.sync();
    });
  }

  triggerSync(): void {
    void this.sync();
  }

  async sync(): Promise<void> {
    if (this.isSyncing || !this.ports.connectivity.current().online) return;
    this.isSyncing = true;
    try {
      const serverTasks = await this.network.fetchTasks();
      await this.resolveConflicts(serverTasks);
      const pending = await this.local.getPendingSyncOperations();
      for (const operation of pending) await this.processSyncOperation(operation);
    } catch {
      // "Sync failed" — will retry on next connectivity change.
    } finally {
      this.isSyncing = false;
    }
  }

  private async processSyncOperation(operation: SyncOperation): Promise<void> {
    try {
      switch (operation.type) {
        case 'create': {
          const task = operation.taskData;
          if (task === null) return;
          const serverTask = await this.network.createTask(task);
          // DEFECT: writes back the task as it was when queued, over any later local edit.
          const localTask: NaiveTask = { ...task, serverId: serverTask.id, syncStatus: 'synced' };
          await this.local.update(localTask);
          this.applied(localTask, 'reply');
          break;
        }
        case 'update': {
          const task = operation.taskData;
          if (task === null) return;
          await this.network.updateTask(task);
          await this.local.update({ ...task, syncStatus: 'synced' });
          break;
        }
        case 'delete':
          await this.network.deleteTask(operation.taskId);
          break;
      }
      await this.local.deleteSyncOperation(operation.id);
    } catch (error) {
      if (operation.retryCount < this.maxRetries) {
        await this.local.updateSyncOperation({ ...operation, retryCount: operation.retryCount + 1 });
      } else if (operation.taskData !== null) {
        await this.local.update({ ...operation.taskData, syncStatus: 'failed' });
      }
      throw error;
    }
  }

  private async resolveConflicts(serverTasks: ServerTask[]): Promise<void> {
    const localTasks = await this.local.getAllTasks();
    for (const serverTask of serverTasks) {
      const localTask = localTasks.find((t) => t.serverId === serverTask.id);
      if (localTask !== undefined) {
        // DEFECT: last-write-wins on raw clocks (the server's updatedAt against this device's).
        if (localTask.updatedAt !== serverTask.updatedAt && serverTask.updatedAt > localTask.updatedAt) {
          const updated = this.fromServer(serverTask, localTask.id, localTask.clientId);
          await this.local.update(updated);
          this.applied(updated, 'pull');
          await this.local.removePendingSyncForTask(localTask.id);
        }
      } else {
        // DEFECT: a task this device does not know by server id — including its own create
        // whose reply was lost — is inserted under a new local id: a duplicate row.
        const inserted = this.fromServer(serverTask, uuid(this.ports.random), serverTask.clientId);
        await this.local.save(inserted);
        this.applied(inserted, 'pull');
      }
    }
  }

  private fromServer(serverTask: ServerTask, id: string, clientId: string | null): NaiveTask {
    return {
      id,
      clientId,
      serverId: serverTask.id,
      title: serverTask.title,
      completed: serverTask.isCompleted,
      deleted: false,
      createdAt: serverTask.updatedAt,
      updatedAt: serverTask.updatedAt,
      write: serverTask.write ?? null,
      syncStatus: 'synced',
    };
  }

  private applied(task: NaiveTask, source: 'pull' | 'reply'): void {
    this.ports.trace.record('device.apply', { device: this.ports.deviceId, task: taskRef(task), write: task.write, source });
  }
}

/** How the trace names a row: its clientId if it has one, else its server id. */
export function taskRef(task: NaiveTask): string {
  return task.clientId ?? task.serverId ?? task.id;
}

export { stampOf };
