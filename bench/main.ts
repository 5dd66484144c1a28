import Table from 'cli-table3';
import { benchCheckFile } from './check-file.ts';
import { benchFetch } from './fetch.ts';
import { benchFuzz } from './fuzz.ts';
import { benchHarness } from './harness.ts';
import { benchKernel } from './kernel.ts';
import { benchNetwork } from './network.ts';
import { benchRemote } from './remote.ts';
import { benchFile, saveFigures, type Figures } from './report.ts';
import { benchServe } from './serve.ts';

/** Every benchmark, by group; `npm run bench -- kernel net` runs only those groups. */
const groups: Record<string, () => Promise<Figures>> = {
  kernel: benchKernel,
  net: benchNetwork,
  fetch: benchFetch,
  harness: benchHarness,
  fuzz: benchFuzz,
  remote: benchRemote,
  serve: benchServe,
  'check-file': benchCheckFile,
};

const wanted = process.argv.slice(2);
const table = new Table({ head: ['figure', 'value', 'unit'], colAligns: ['left', 'right', 'left'] });
for (const [name, bench] of Object.entries(groups)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const figures = await bench();
  saveFigures(figures);
  for (const [figure, { value, unit }] of Object.entries(figures)) table.push([figure, value.toLocaleString('en-US'), unit]);
}
console.log(table.toString());
console.log(`written to ${benchFile}`);
