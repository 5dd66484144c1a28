/**
 * The public API (SPEC §9): what `import ... from 'syncsim'` gives. The CLI is a thin shell
 * over the same functions.
 */
export { defineEngine, type EngineModuleDescriptor } from './engines/define.ts';
export type {
  ClientEngine, EngineDescriptor, EngineFactory, LocalTask, QueuedOperation, Row, SyncStatus, WriteLabel,
} from './engines/engine.ts';
export { LocalWriteError, isLocalWriteError } from './engines/engine.ts';
export type * from './engines/ports.ts';
export { EngineLoadError } from './engines/resolve.ts';
export { loadScenario, parseScenario, ScenarioError, type Scenario, type ScenarioIssue } from './scenario/index.ts';
export { runScenario, type RunScenarioOptions, type ScenarioRun } from './api/run-scenario.ts';
export { RemoteServerError, type RemoteTarget } from './remote/index.ts';
export { fuzz, type FuzzFailure, type FuzzOptions, type FuzzResult } from './api/fuzz.ts';
export { checkTrace, readTrace } from './api/check-trace.ts';
export { conformServer, type ConformServerOptions, type ConformServerResult } from './api/conform-server.ts';
export { ServerSuiteError, SERVER_RULES, type RuleResult, type RuleVerdict } from './conform/server/suite.ts';
export type { EngineOption } from './api/engine-option.ts';
export type { CheckResult, ExpectationFailure, RunVerdict, Violation } from './check/index.ts';
export { TraceFormatError, type AnyTraceEvent } from './trace/index.ts';
export { PROFILE_NAMES, type ProfileName } from './fuzz/profiles.ts';
export type { CampaignProgress } from './fuzz/campaign.ts';
export type { CampaignSummary } from './fuzz/summary.ts';
export { runFiles, type RunFilesOptions } from './files/run-files.ts';
export { startViewServer, type ViewServer } from './viewer-server/index.ts';
// The §4 API's JSON, for engines written in TypeScript: a task as the server sends it, and a delta page.
export type { TaskJson as ApiTask } from './server/wire.ts';
export type { DeltaPage as ApiDeltaPage } from './server/delta.ts';
