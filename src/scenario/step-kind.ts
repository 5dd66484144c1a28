import type { LNode } from './located.ts';
import type { CreatedTasks } from './created-tasks.ts';
import type { Reader } from './read.ts';
import type { NodeRefs } from './refs.ts';
import type { DeviceStep, Step, StepBase, StepKind } from './types.ts';

/** What a step kind's reader may use: the small readers, the file's devices, the tasks created so far. */
export interface StepReadContext {
  read: Reader;
  refs: NodeRefs;
  tasks: CreatedTasks;
}

/** Where a step starts: its place in time and file, and for a device step its device. */
export type StepStart<S extends Step> = S extends DeviceStep ? StepBase & { device: string } : StepBase;

/** One step kind: how a file spells it, reads it and writes it back. */
export interface StepKindEntry<S extends Step> {
  /** The step's action key in a file (`create`, `server`, ...). */
  readonly key: string;
  /** For an action key several kinds share (`server`): the one key inside its mapping that picks this kind. */
  readonly subkey?: string;
  /** Whether the step names its device in its own `device` field: exactly the DeviceStep kinds. */
  readonly device: S extends DeviceStep ? true : false;
  /** What the loader's message adds when a step gives `device` beside this key though it does not take it. */
  readonly deviceHint?: string;
  /**
   * One step of this kind as `scenarioToYaml` writes it, without `at`: in a file with devices
   * phone and ipad, after the examples of the kinds before it (so task t1 exists).
   */
  readonly example: string;
  /** The step from its action's value (for a subkey, the value inside), or undefined once issues say what is wrong. */
  read(value: LNode, start: StepStart<S>, ctx: StepReadContext): S | undefined;
  /** The action's value as YAML, which `read` reads back to the same step. */
  write(step: S): string;
}

/** An entry for every kind in K and for nothing else, each typed by its own step. */
export type StepKindTable<K extends StepKind> = { [P in K]: StepKindEntry<Extract<Step, { kind: P }>> };

/**
 * An entry of any kind, as the loader and the writer use it. Method parameters are compared
 * both ways, so every StepKindEntry is one; `device` says which start its reader takes.
 */
export interface AnyStepKind {
  readonly key: string;
  readonly subkey?: string;
  readonly device: boolean;
  readonly deviceHint?: string;
  readonly example: string;
  read(value: LNode, start: StepBase & { device?: string }, ctx: StepReadContext): Step | undefined;
  write(step: Step): string;
}
