/**
 * The viewer in headless Chromium: a scenario-library trace with violations renders, the
 * UI steps to a violation (screenshot in reports/), a malformed trace names its line, and a
 * 100,000-event trace loads (time written to reports/bench.json as viewer.load_100k_ms).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureViewerBuilt, startViewServer, type ViewServer } from '../../src/cli/view.ts';
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

  it('loads a 100,000-event trace and reports the time in reports/bench.json', async () => {
    const file = join(work, 'synthetic-100k.jsonl');
    writeFileSync(file, syntheticTrace(100_000));
    const page = await openPage(await serve(file));
    await page.waitForFunction(() => window.__syncsimViewer !== undefined, undefined, { timeout: 30_000 });
    const { events, loadMs, phases } = (await page.evaluate(() => window.__syncsimViewer))!;
    expect(events).toBeGreaterThanOrEqual(100_000);
    // Scrubbing works at this size: the end of the trace shows the snapshot rows.
    // Pressed until it lands: the page may attach its key handler just after it reports the load.
    const atEnd = async () => {
      await page.keyboard.press('End');
      return page.getByTestId('position').textContent();
    };
    await expect.poll(atEnd, { timeout: 30_000 }).toMatch(new RegExp(`^#${events - 1} `));
    await expect.poll(() => page.locator('.node[data-node=server] .task').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const benchFile = join(reports, 'bench.json');
    const bench = existsSync(benchFile) ? (JSON.parse(readFileSync(benchFile, 'utf8')) as Record<string, unknown>) : {};
    bench['viewer.load_100k_ms'] = { value: loadMs, unit: 'ms' };
    mkdirSync(reports, { recursive: true });
    writeFileSync(benchFile, `${JSON.stringify(bench, null, 2)}\n`);
    console.log(`viewer: ${events} events loaded and drawn in ${loadMs} ms (${JSON.stringify(phases)})`);
    await page.close();
  });
});
