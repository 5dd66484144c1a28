import { DEVICE_STEP_KINDS } from './device-steps.ts';
import type { AnyStepKind, StepKindTable } from './step-kind.ts';
import type { Step, StepKind } from './types.ts';
import { USER_STEP_KINDS } from './user-steps.ts';
import { WORLD_STEP_KINDS } from './world-steps.ts';
import { str } from './yaml-text.ts';

/**
 * Every step kind: its action key, whether it takes `device`, how it is read and written.
 * The loader, the YAML writer and (through the Step type this table must cover) the step
 * player follow it; a new kind is one entry here plus its case in the player. The order
 * is the order of the action keys in the loader's messages.
 */
export const STEP_KINDS: StepKindTable<StepKind> = { ...USER_STEP_KINDS, ...DEVICE_STEP_KINDS, ...WORLD_STEP_KINDS };

const ENTRIES: readonly AnyStepKind[] = Object.values(STEP_KINDS);

/** The kinds one action key spells: one, or for a key with subkeys (`server`) each of them, in table order. */
export type KeyKinds = readonly [AnyStepKind, ...AnyStepKind[]];

const BY_KEY = new Map<string, KeyKinds>();
for (const entry of ENTRIES) {
  const kinds = BY_KEY.get(entry.key);
  BY_KEY.set(entry.key, kinds ? [...kinds, entry] : [entry]);
}

/** The action keys a step may have, each once, in table order. */
export const ACTION_KEYS: readonly string[] = [...BY_KEY.keys()];

export function kindsOfKey(key: string): KeyKinds | undefined {
  return BY_KEY.get(key);
}

export function stepKind(step: Step): AnyStepKind {
  return STEP_KINDS[step.kind];
}

/** The step as its file spells it after `at`: `device: phone, create: { ... }`, `server: { unavailable: 30s }`. */
export function writeStep(step: Step): string {
  const kind = stepKind(step);
  const value = kind.write(step);
  const action = kind.subkey === undefined ? `${kind.key}: ${value}` : `${kind.key}: { ${kind.subkey}: ${value} }`;
  return kind.device && 'device' in step ? `device: ${str(step.device)}, ${action}` : action;
}
