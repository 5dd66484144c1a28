/**
 * Database names. RxDB and its Dexie storage keep process-wide maps keyed by database name
 * (open-name checks, Dexie connections cached by name, Dexie's change bus), which outlive a
 * crashed incarnation (it never closes) and a finished run (nobody closes it). So each
 * incarnation opens RxDB under a name of its own — device, run generation, incarnation —
 * and the IndexedDB factory it gets maps that name back to the device's one name on disk,
 * so every incarnation of a device reads and writes the same databases.
 */

/** The RxDB database name of one incarnation (and attempt to open): [a-z0-9-] like the device ids it is built from. */
export function incarnationName(deviceId: string, generation: number, incarnation: number, attempt = 0): string {
  return `syncsim-${deviceId}-g${generation}-i${incarnation}-a${attempt}`;
}

const INCARNATION_PART = /^(.*syncsim-.+?)-g\d+-i\d+-a\d+(--.*)?$/;

/** The name on the device's disk: the incarnation part taken out. */
export function diskName(name: string): string {
  const match = INCARNATION_PART.exec(name);
  return match === null ? name : `${match[1]}${match[2] ?? ''}`;
}

/** The device's IndexedDB, seen through the incarnation's names. */
export function renamingFactory(disk: IDBFactory): IDBFactory {
  return {
    open: (name: string, version?: number) => (version === undefined ? disk.open(diskName(name)) : disk.open(diskName(name), version)),
    deleteDatabase: (name: string) => disk.deleteDatabase(diskName(name)),
    databases: () => disk.databases(),
    cmp: (a: unknown, b: unknown) => disk.cmp(a, b),
  };
}
