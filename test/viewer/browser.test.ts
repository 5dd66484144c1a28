/**
 * The viewer in headless Chromium: a scenario-library trace with violations renders, the
 * UI steps to a violation (screenshot in reports/), a malformed trace names its line, a
 * black-box engine's trace shows the users' history (writes, reads, an engine error), and a
 * 100,000-event trace loads (time written to reports/bench.json as viewer.load_100k_ms).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkerNames, runCheckers } from '../../src/check/index.ts';
import { ensureViewerBuilt, startViewServer, type ViewServer } from '../../src/viewer-server/index.ts';
import { parseTrace, TraceRecorder, type FaultKind } from '../../src/trace/index.ts';
import { violationSeqsOf } from '../../viewer/src/model/trace-index.ts';
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

/**
 * A black-box engine's run (no op, no device.apply): the phone writes "milk", then "oat milk"
 * (a slow write), and a later read shows "milk" again — read-your-writes broken; the ipad's
 * write fails and the engine throws; the ipad's read shows a task only the server had.
 */
function historyTrace(): { jsonl: string; seqs: Record<string, number> } {
  let t = 0;
  const trace = new TraceRecorder(() => t);
  const seqs: Record<string, number> = {};
  const at = (ms: number, name: string, type: string, fields: Record<string, unknown>) => {
    t = ms;
    seqs[name] = trace.length;
    trace.recordCustom(type, fields);
  };
  const row = (task: string, id: string, title: string, completed = false) => ({ task, id, title, completed });
  const batch = { method: 'POST', path: '/v1/sync/batch' };
  trace.record('run.start', { version: 1, scenario: 'history', seed: 1, engine: 'black-box', devices: [{ id: 'phone', skew: 0 }, { id: 'ipad', skew: 0 }] });
  at(1000, 'invoke1', 'invoke', { device: 'phone', write: 'phone#1', kind: 'create', task: 'a', value: { title: 'milk', completed: false, deleted: false }, basis: null });
  at(1100, 'send', 'msg.send', { msg: 1, from: 'phone', to: 'server', ...batch });
  at(1200, 'ok1', 'ok', { device: 'phone', write: 'phone#1', id: 't1' });
  at(1200, 'read1', 'read', { device: 'phone', cause: 'write', rows: [row('a', 't1', 'milk')] });
  at(1300, 'deliver', 'msg.deliver', { msg: 1, from: 'phone', to: 'server', ...batch });
  at(1300, 'reply', 'msg.send', { msg: 2, from: 'server', to: 'phone', ...batch, reply: 1, status: 200 });
  at(1400, 'replied', 'msg.deliver', { msg: 2, from: 'server', to: 'phone', ...batch, reply: 1, status: 200 });
  at(2000, 'invoke2', 'invoke', { device: 'phone', write: 'phone#2', kind: 'update', task: 'a', value: { title: 'oat milk', completed: true, deleted: false }, basis: 'phone#1' });
  at(4000, 'ok2', 'ok', { device: 'phone', write: 'phone#2' });
  at(4000, 'read2', 'read', { device: 'phone', cause: 'write', since: seqs.read1, rows: [row('a', 't1', 'oat milk', true)], gone: [] });
  at(4500, 'invoke3', 'invoke', { device: 'ipad', write: 'ipad#1', kind: 'create', task: 'b', value: { title: 'bread', completed: false, deleted: false }, basis: null });
  at(4600, 'fail3', 'fail', { device: 'ipad', write: 'ipad#1', error: 'QuotaExceededError: storage full' });
  at(4600, 'engineError', 'engine-error', { device: 'ipad', step: 9, call: 'create', error: 'TypeError: cannot read properties of undefined', stack: 'TypeError: …\n    at create (engine.js:12)' });
  at(5000, 'read3', 'read', { device: 'phone', cause: 'step', since: seqs.read2, rows: [row('a', 't1', 'milk')], gone: [] });
  at(5500, 'read4', 'read', { device: 'ipad', cause: 'end', rows: [row('c', 't9', 'from the server')] });
  t = 6000;
  trace.end(false, []);
  return { jsonl: trace.toJSONL(), seqs };
}

/** Pixels of exactly one colour on one of the diagram's canvases, by the lane they fall on. */
async function colourCount(page: Page, rgb: [number, number, number], canvasClass = 'diagram-base'): Promise<{ byLane: Record<string, number> }> {
  return page.evaluate(([colour, selector]) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`.${selector}`)!;
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
  }, [rgb, canvasClass] as const);
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

  const history = historyTrace();

  beforeAll(async () => {
    writeFileSync(join(work, 'faults.jsonl'), faultTrace());
    writeFileSync(join(work, 'history.jsonl'), history.jsonl);
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
    const file = join(work, 'naive-delete-resurrects-naive-1', 'trace.jsonl');
    // Where the violations are, from the checkers themselves: the seqs move as the trace gains events.
    const events = parseTrace(readFileSync(file, 'utf8'));
    const results = runCheckers(events);
    const firstViolationSeq = violationSeqsOf(results).find((s) => s > 1);
    const resurrection = results.find((r) => r.checker === 'no-resurrection')!.violations[0]!;
    const resurrectionSeq = resurrection.seqs[resurrection.seqs.length - 1]!;
    const page = await openPage(await serve(file));
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
    // Every checker, then the verdicts the trace recorded (engine-error always, quiescence when recorded).
    await expect.poll(() => page.locator('.checker').count()).toBeGreaterThanOrEqual(checkerNames.length + 1);
    for (const name of [...checkerNames, 'engine-error']) expect(await page.locator(`[data-checker=${name}]`).count()).toBe(1);
    // A demonstration: the run fails exactly the checkers its scenario expects, as `syncsim run` said.
    expect(await page.getByTestId('run-verdict').textContent()).toMatch(/^PASS \(expected fail\)/);
    expect(await page.locator('[data-checker=no-resurrection] .verdict').textContent()).toMatch(/\(expected\)/);
    expect(await page.getByTestId('overall').textContent()).toBe('fails exactly as expected');
    expect(await page.locator('.checker.fail').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-checker=no-resurrection] .badge').textContent()).toMatch(/FAIL/);

    // Step with the keyboard, then jump to the next violation event with the toolbar.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(/^#1 /);
    await page.getByTestId('next-violation').click();
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(new RegExp(`^#${firstViolationSeq} `));

    // Select the resurrection: its seqs are highlighted and the playhead moves to the last one (the pull, or the read that shows it).
    await page.locator('[data-checker=no-resurrection] button.violation').first().click();
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(new RegExp(`^#${resurrectionSeq} `));
    expect(await page.getByTestId('current-event').textContent()).toMatch(/ipad (row a ← phone#1 \(pull\)|read)/);
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
    const lines = readFileSync(join(work, 'naive-delete-resurrects-naive-1', 'trace.jsonl'), 'utf8').split('\n');
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

  it('shows a black-box engine\'s history: writes, reads with what the user saw, a failed write and an engine error', async () => {
    const { seqs } = history;
    const page = await openPage(await serve(join(work, 'history.jsonl')));
    await page.waitForFunction(() => window.__syncsimViewer !== undefined);
    await expect.poll(() => page.locator('.checker').count()).toBeGreaterThanOrEqual(checkerNames.length + 1);
    expect(await page.locator('[data-checker=engine-error] .badge').textContent()).toMatch(/FAIL/);
    // Colours of viewer/src/components/diagram-history.ts: the writes' teal bars, the failed write's red cross, the engine error's triangle.
    expect((await colourCount(page, [0x1b, 0x7c, 0x83])).byLane.phone).toBeGreaterThan(200);
    expect((await colourCount(page, [0xcf, 0x22, 0x2e])).byLane.ipad).toBeGreaterThan(5);
    expect((await colourCount(page, [0xd1, 0x24, 0x2f])).byLane.ipad).toBeGreaterThan(40);
    expect(await page.getByTestId('engine-errors').textContent()).toMatch(/ipad · create · line 9.*TypeError: cannot read properties of undefined/);

    // Hovering the slow write's bar, halfway between invoke and ok, names its kind, task and value
    // (the layout of viewer/src/components/diagram-layout.ts: 2% margins, an 84 px gutter, 3 lanes).
    const box = (await page.locator('.diagram-overlay').boundingBox())!;
    const x = 84 + ((3000 + 6000 * 0.02) / (6000 * 1.04)) * (box.width - 84 - 8);
    const laneHeight = (box.height - 22) / 3;
    await page.mouse.move(box.x + x, box.y + 22 + laneHeight * 1.5 - 15);
    await expect.poll(() => page.locator('.tooltip').textContent()).toMatch(/phone update a “oat milk” ✓ \(phone#2\) → ok/);

    // At the slow write's read, the phone's user saw "oat milk" done; the engine recorded no rows.
    await page.locator('.event-row').filter({ hasText: new RegExp(`^#${seqs.read2} `) }).click();
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(new RegExp(`^#${seqs.read2} `));
    const phone = page.locator('.node[data-node=phone]');
    expect(await phone.locator('.seen-row .title').allTextContents()).toEqual(['oat milk']);
    expect(await phone.locator('.seen-row').first().textContent()).toMatch(/^aoat milk✓t1$/);
    expect(await phone.locator('.empty-rows').textContent()).toBe('no rows recorded by the engine');
    expect(await page.locator('.node[data-node=ipad] [data-testid=seen]').textContent()).toMatch(/no read yet/);
    await page.locator('.event-row').filter({ hasText: new RegExp(`^#${seqs.ok2} `) }).click();
    expect(await page.getByTestId('current-event').textContent()).toMatch(/ok: phone update a “oat milk” ✓ \(phone#2\) → ok, 2000ms/);
    await page.locator('.event-row').filter({ hasText: new RegExp(`^#${seqs.fail3} `) }).click();
    expect(await page.getByTestId('current-event').textContent()).toMatch(/FAIL: ipad create b “bread” \(ipad#1\) → FAILED: QuotaExceededError/);

    // The task filter lists the tasks that only invoke and read events name.
    await page.getByTestId('task-search').focus();
    await expect.poll(() => page.locator('.task-option').allTextContents()).toEqual(['a', 'b', 'c']);
    await page.keyboard.press('Escape');

    // The violation links to the read that showed the older value: the playhead goes there, and it is marked.
    const checker = page.locator('[data-checker=read-your-writes]');
    expect(await checker.locator('.badge').textContent()).toMatch(/FAIL/);
    expect(await checker.locator('.chip.seq').allTextContents()).toContain(`#${seqs.read3}`);
    await checker.locator('button.violation').first().click();
    await expect.poll(() => page.getByTestId('position').textContent()).toMatch(new RegExp(`^#${seqs.read3} `));
    expect(await phone.locator('.seen.marked .seen-row .title').allTextContents()).toEqual(['milk']);
    expect(await page.locator('.event-row.marked').allTextContents()).toContainEqual(expect.stringMatching(new RegExp(`^#${seqs.read3} .*phone read`)));
    // The overlay rings the read's diamond, below the phone lane's centre.
    expect((await colourCount(page, [0xd4, 0xa7, 0x2c], 'diagram-overlay')).byLane.phone).toBeGreaterThan(20);
    mkdirSync(reports, { recursive: true });
    await page.screenshot({ path: join(reports, 'viewer-history.png'), fullPage: true });
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
    // Every checker, and engine-error (the trace records no quiescence).
    await expect.poll(() => page.locator('.checker').count(), { timeout: 30_000 }).toBe(checkerNames.length + 1);
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
