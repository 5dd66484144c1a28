import type { AppState } from '../engines/ports.ts';

/**
 * The app process's states the scenario drives (SPEC §2). An engine sees only the first
 * two (`AppState` of engines/ports.ts): a terminated app runs no code.
 */
export type AppProcessState = AppState | 'terminated';
