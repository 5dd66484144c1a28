import Table from 'cli-table3';
import { mutantEngines } from '../src/engines/mutants/index.ts';
import { referenceEngine } from '../src/engines/reference/index.ts';
import { measurePower } from '../src/fuzz/power.ts';
import { PROFILE_NAMES, type ProfileName } from '../src/fuzz/profiles.ts';
import { saveFigures } from './report.ts';

/** `npm run power [-- --profile P --seeds N]`: fuzz every mutant and report what killed it. */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const profile = option('profile', 'swarm') as ProfileName;
if (!PROFILE_NAMES.includes(profile)) throw new Error(`unknown profile ${profile}; one of ${PROFILE_NAMES.join(', ')}`);
const maxSeeds = Number(option('seeds', '200'));

const table = new Table({ head: ['mutant', 'killed', 'seeds to kill', 'caught by', 'steps → shrunk', 'breaks'], style: { head: [], border: [] }, wordWrap: true, colWidths: [30, 8, 8, 30, 12, 40] });
const verdicts = await measurePower(mutantEngines, {
  baseline: referenceEngine,
  profile,
  start: 1,
  maxSeeds,
  shrinkRuns: 150,
  onVerdict: (v) => process.stderr.write(`${v.engine}: ${v.killed ? `killed at seed ${v.firstSeed}` : 'SURVIVED'}\n`),
});
for (const v of verdicts) {
  table.push([v.engine, v.killed ? 'yes' : 'NO', v.seedsToKill, v.caughtBy.join(', '), v.steps === null ? '-' : `${v.steps} → ${v.shrunkSteps ?? '?'}`, v.breaks]);
}
console.log(`Mutants against the ${profile} profile (at most ${maxSeeds} seeds each; a kill counts only on a seed reference passes)`);
console.log(table.toString());
const killed = verdicts.filter((v) => v.killed).length;
console.log(`${killed}/${verdicts.length} killed`);
saveFigures({
  [`power.${profile}.mutants_killed`]: { value: killed, unit: `of ${verdicts.length}` },
  [`power.${profile}.max_seeds_to_kill`]: { value: Math.max(...verdicts.map((v) => v.seedsToKill)), unit: 'seeds' },
});
process.exitCode = killed === verdicts.length ? 0 : 1;
