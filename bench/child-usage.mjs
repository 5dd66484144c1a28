// Preloaded into a benchmarked child process: at exit it reports its own peak RSS and CPU
// time on stderr, in one line the parent reads (a child's rusage is not in spawnSync's result).
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  writeSync(2, `\nsyncsim-bench-usage ${JSON.stringify({ maxRssKb: maxRSS, cpuMs: (userCPUTime + systemCPUTime) / 1000 })}\n`);
});
