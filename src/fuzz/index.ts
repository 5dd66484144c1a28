export { runCampaign, shardSeeds, writeCampaign, type CampaignOptions, type CampaignProgress } from './campaign.ts';
export { writeFailure, verifyReproduction, type WrittenFailure } from './failure-files.ts';
export { generateScenario, scenarioArbitrary } from './generate.ts';
export { FAULT_KINDS, PROFILE_NAMES, profiles, profileFor, isProfileName, type FaultKind, type Profile, type ProfileName } from './profiles.ts';
export { runSeed, runCandidate, failureSignature, type SeedRun } from './run-seed.ts';
export { normalizeScenario, scenarioToYaml } from './scenario-yaml.ts';
export { fuzzSeed, type SeedJobConfig, type SeedRecord } from './seed-job.ts';
export { shrinkFailure, type ShrinkOptions, type ShrinkResult } from './shrink.ts';
export { buildSummary, campaignJunit, type CampaignSummary, type Shard } from './summary.ts';
