export { loadScenario, parseScenario } from './load.ts';
export { ScenarioError, formatIssue, type ScenarioIssue } from './errors.ts';
export { DURATION_HINT, formatDuration, parseDuration, type DurationOptions, type DurationResult } from './duration.ts';
export * from './types.ts';
