/**
 * The viewer in headless Chromium: a scenario-library trace with violations renders, the
 * UI steps to a violation (screenshot in reports/), a malformed trace names its line, and a
 * 100,000-event trace loads (time written to reports/bench.json as viewer.load_100k_ms).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureViewerBuilt, startViewServer, type ViewServer } from '../../src/cli/view.ts';
import { TraceRecorder, type FaultKind } from '../../src/trace/index.ts';
import { syntheticTrace } from './synthetic-trace.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const reports = join(root, 'reports');
const hasChromium = existsSync(CHROMIUM);

/** What the page reports about its last load (viewer/src/App.tsx). */
interface ViewerInfo {
  events: number;
  loadMs: number;
  phases: Record<string, number>;
}
declare global {
  interface Window {
    __syncsimViewer?: ViewerInfo;
  }
}

/** A short trace with every one-off fault and a shaded period or two. */
function faultTrace(): string {
  let t = 0;
  const trace = new TraceRecorder(() => t);
  trace.record('run.start', { version: 1, scenario: 'faults', seed: 1, engine: 'x', devices: [{ id: 'phone', skew: 0 }, { id: 'ipad', skew: 0 }] });
  const at = (ms: number, kind: FaultKind, detail: Record<string, unknown>) => {
    t = ms;
    trace.record('fault', { kind, detail });
  };
  at(1000, 'crash', { device: 'phone' });
  at(2000, 'app', { device: 'ipad', state: 'terminate' });
  at(2500, 'server-restart', {});
  at(3000, 'restart', { device: 'phone' });
  at(4000, 'offline', { device: 'ipad' });
  at(5000, 'online', { device: 'ipad' });
  t = 6000;
  trace.end(true, []);
  return trace.toJSONL();
}

/** Pixels of exactly one colour on the diagram's base canvas, by the lane they fall on. */
async function colourCount(page: Page, rgb: [number, number, number]): Promise<{ byLane: Record<string, number> }> {
  return page.evaluate((colour) => {
    const canvas = document.querySelector<HTMLCanvasElement>('.diagram-base')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const lanes = Array.from(document.querySelectorAll<HTMLInputElement>('.lanes-filter input'), (input) => input.parentElement!.textContent!.trim());
    const axis = 22 * (canvas.width / canvas.clientWidth);
    const laneHeight = (canvas.height - axis) / lanes.length;
    const byLane: Record<string, number> = {};
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== colour[0] || data[i + 1] !== colour[1] || data[i + 2] !== colour[2]) continue;
      const y = Math.floor(i / 4 / canvas.width);
      const lane = lanes[Math.floor((y - axis) / laneHeight)] ?? 'axis';
      byLane[lane] = (byLane[lane] ?? 0) + 1;
    }
    return { byLane };
  }, rgb);
}

if (!hasChromium) console.warn(`test/viewer/browser.test.ts: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('viewer in headless Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'syncsim-viewer-'));
  const servers: ViewServer[] = [];
  let browser: Browser;

  const serve = async (traceFile: string) => {
    const view = await startViewServer({ traceFile });
    servers.push(view);
    return view.url;
  };

  const openPage = async (url: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(url);
    return page;
  };

  beforeAll(async () => {
    writeFileSync(join(work, 'faults.jsonl'), faultTrace());
    await ensureViewerBuilt();
    execFileSync(process.execPath, [join(root, 'bin/syncsim.js'), 'run', 'scenarios/naive-delete-resurrects.yaml', '--out', work], { cwd: root, stdio: 'ignore' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('renders a trace with violations, steps to one and highlights its events', async () => {
    const page = await openPage(await serve(join(work, 'naive-delete-resurrects-1', 'trace.jsonl')));
    await page.waitForSelector('[data-testid=diagram] canvas');
    await page.waitForFunction(() => window.__syncsimViewer !== undefined);
    // The diagram drew something: the base canvas is not blank.
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('.diagram-base')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200) coloured++;
      return coloured;
    });
    expect(inked).toBeGreaterThan(1000);
    await expect.poll(() => page.locator('.checker').count()).toBe(7);
    expect(await page.locator('.checker.fail').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-checker=no-resurrection] .badge').textContent()).toMatch(/FAIL/);

    // Step with the keyboard, then jump to the next violation event with the toolbar.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(/^#1 /);
    await page.getByTestId('next-violation').click();
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(/^#9 /);

    // Select the resurrection: its seqs are highlighted and the playhead moves to the last one (the pull).
    await page.locator('[data-checker=no-resurrection] button.violation').first().click();
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(/^#32 /);
    expect(await page.getByTestId('current-event').textContent()).toMatch(/ipad row a ← phone#1 \(pull\)/);
    // At the playhead the ipad shows the deleted task live again.
    const ipad = page.locator('.node[data-node=ipad] .task').first();
    expect(await ipad.locator('.title').textContent()).toBe('Old idea');
    expect(await ipad.getAttribute('class')).not.toMatch(/deleted/);
    expect(await page.locator('.event-row.marked').count()).toBeGreaterThan(0);
    mkdirSync(reports, { recursive: true });
    await page.screenshot({ path: join(reports, 'viewer-violation.png'), fullPage: true });
    await page.close();
  });

  it('shows a malformed trace as a message naming the line, with titles never read as HTML', async () => {
    const lines = readFileSync(join(work, 'naive-delete-resurrects-1', 'trace.jsonl'), 'utf8').split('\n');
    const broken = join(work, 'broken.jsonl');
    writeFileSync(broken, [...lines.slice(0, 4), '{"seq":4,"t":90,"type":"msg.deliver","msg":2,"from":"ipad","to":"<img src=x onerror=alert(1)>'].join('\n'));
    const page = await openPage(await serve(broken));
    const error = page.getByTestId('load-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/line 5: not valid JSON.*truncated/);
    expect(await page.locator('img').count()).toBe(0);
    await page.close();
  });

  it('draws one-off faults as solid markers on their lanes, apart from shaded periods', async () => {
    const page = await openPage(await serve(join(work, 'faults.jsonl')));
    await page.waitForFunction(() => window.__syncsimViewer !== undefined);
    // Markers are opaque (MARKER_COLOURS in viewer/src/components/diagram-faults.ts); a shade never is.
    const crashRed = await colourCount(page, [0xa4, 0x0e, 0x26]);
    const restartBlue = await colourCount(page, [0x05, 0x50, 0xae]);
    expect(crashRed.byLane.phone).toBeGreaterThan(50); // the crash
    expect(crashRed.byLane.ipad).toBeGreaterThan(50); // the kill by the OS
    expect(restartBlue.byLane.phone).toBeGreaterThan(50); // the restart
    expect(restartBlue.byLane.server).toBeGreaterThan(50); // the server restart
    expect(crashRed.byLane.server ?? 0).toBe(0);
    await page.close();
  });

  it('loads a 100,000-event trace and reports the time in reports/bench.json', async () => {
    const file = join(work, 'synthetic-100k.jsonl');
    writeFileSync(file, syntheticTrace(100_000));
    const page = await openPage(await serve(file));
    await page.waitForFunction(() => window.__syncsimViewer !== undefined, undefined, { timeout: 30_000 });
    const { events, loadMs } = (await page.evaluate(() => window.__syncsimViewer))!;
    expect(events).toBeGreaterThanOrEqual(100_000);
    // Scrubbing works at this size: the end of the trace shows the snapshot rows. One press: the
    // page reports the load once it draws, and by then it handles keys. (Replaying 100,000 events
    // on a busy machine can take seconds, hence the long waits.)
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('position').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^#${events - 1} `));
    await expect.poll(() => page.locator('.node[data-node=server] .task').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The checkers run off the main thread and report when done.
    await expect.poll(() => page.locator('.checker').count(), { timeout: 30_000 }).toBe(7);
    const { phases } = (await page.evaluate(() => window.__syncsimViewer))!;

    // The task filter's search narrows thousands of tasks; picking one keeps only its events and messages.
    await page.getByTestId('task-search').fill('t-123');
    const options = page.locator('.task-option');
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await options.allTextContents()).toContain('t-123');
    expect((await options.allTextContents()).every((t) => t.includes('t-123'))).toBe(true);
    await options.filter({ hasText: /^t-123$/ }).click();
    await expect.poll(() => page.locator('.events h2').textContent(), { timeout: 10_000 }).toMatch(/that concern t-123/);
    const rows = await page.locator('.event-row').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => / t-123 | msg \d+ /.test(r))).toBe(true);
    expect(rows.some((r) => / msg \d+ /.test(r))).toBe(true);

    const benchFile = join(reports, 'bench.json');
    const bench = existsSync(benchFile) ? (JSON.parse(readFileSync(benchFile, 'utf8')) as Record<string, unknown>) : {};
    bench['viewer.load_100k_ms'] = { value: loadMs, unit: 'ms' };
    // Until every checker's verdict is shown (they follow the first draw, from the worker).
    if (phases['checked'] !== undefined) bench['viewer.checked_100k_ms'] = { value: phases['checked'], unit: 'ms' };
    mkdirSync(reports, { recursive: true });
    writeFileSync(benchFile, `${JSON.stringify(bench, null, 2)}\n`);
    console.log(`viewer: ${events} events loaded and drawn in ${loadMs} ms (${JSON.stringify(phases)})`);
    await page.close();
  });
});
