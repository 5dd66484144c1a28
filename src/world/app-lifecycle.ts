/** iOS app states the scenario drives (SPEC §2). */
export type AppState = 'foreground' | 'background' | 'terminated';

export type AppEvent =
  | { type: 'foreground' }
  | { type: 'background' }
  /** The OS granted a background refresh window ending at `until` (device clock ms). */
  | { type: 'refresh'; until: number };

/** What the engine sees of the app lifecycle. */
export interface AppLifecyclePort {
  state(): 'foreground' | 'background';
  /** Whether a background refresh window is open now. */
  inRefreshWindow(): boolean;
  subscribe(listener: (event: AppEvent) => void): () => void;
}
