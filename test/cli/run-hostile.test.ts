/**
 * `syncsim run` on hostile scenario files (issue 14, point 5; src/scenario/limits.ts): each
 * is refused before anything runs, exit 2 with `file:line:col: problem`, no stack trace, and
 * control bytes from the file are printed escaped. Every spawn is bounded by its timeout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-run-hostile-'));

const HEAD = 'name: hostile\ndescription: a hostile file\nduration: 1m\ndevices:\n  - id: phone\n';

/** Nine levels of ten aliases: a billion values once expanded. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level <= 9; level++) lines.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n${HEAD}steps: *a9\n`;
}

const steps = (count: number) => `${HEAD}steps:\n${'  - {at: 0, device: phone, sync: true}\n'.repeat(count)}`;

interface Case {
  name: string;
  file: string;
  text: string | Buffer;
  /** Where the problem is, `line:col`. */
  at: string;
  message: RegExp;
}

const cases: Case[] = [
  { name: 'an alias bomb', file: 'bomb.yaml', text: aliasBomb(), at: '6:45', message: /aliases expand the document past 1000000 values/ },
  { name: 'a 10 MB file', file: 'big.yaml', text: `${HEAD}steps:\n${'  - {at: 0, device: phone, sync: true}   # padding padding padding\n'.repeat(160_000)}`, at: '1:1', message: /a scenario file is at most 1048576 bytes/ },
  { name: 'a 110k-step file', file: 'steps110k.yaml', text: steps(110_000), at: '1:1', message: /at most 1048576 bytes/ },
  { name: 'one step too many', file: 'steps.yaml', text: steps(10_001), at: '7:3', message: /steps has 10001 steps; a scenario has at most 10000/ },
  { name: 'an absurd duration', file: 'duration.yaml', text: HEAD.replace('duration: 1m', 'duration: 1000000h'), at: '3:11', message: /duration is at most 30 days \(2592000000 ms\), got "1000000h"/ },
  { name: 'an absurd outage', file: 'outage.yaml', text: `${HEAD}steps:\n  - { at: 1s, server: { unavailable: 100000h } }\n`, at: '7:38', message: /unavailable is at most 30 days/ },
  { name: 'a billion created tasks', file: 'many.yaml', text: `${HEAD}steps:\n  - { at: 1s, device: phone, createMany: { task: t, count: 1000000000 } }\n`, at: '7:60', message: /would create more than 100000 tasks/ },
  { name: 'too many devices', file: 'devices.yaml', text: `name: hostile\ndescription: d\nduration: 1m\ndevices:\n${Array.from({ length: 101 }, (_, i) => `  - id: d${i}\n`).join('')}`, at: '5:3', message: /devices lists 101 devices; a scenario has at most 100/ },
  { name: 'a .json file with a trailing comma', file: 'comma.json', text: '{\n  "name": "j",\n  "description": "d",\n  "duration": "1m",\n  "devices": [{ "id": "phone" },]\n}\n', at: '5:33', message: /^JSON syntax: Unexpected token '\]'$/ },
  { name: 'invalid UTF-8', file: 'utf8.yaml', text: Buffer.concat([Buffer.from(HEAD), Buffer.from([0x23, 0xff, 0x0a])]), at: '6:1', message: /not valid UTF-8/ },
];

function run(file: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), 'run', file, '--out', join(work, 'out')], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('syncsim run on hostile scenario files', () => {
  it.each(cases)('$name: exit 2 at $at, nothing run', ({ file, text, at, message }) => {
    const path = join(work, file);
    writeFileSync(path, text);
    const { code, stdout, stderr } = run(path);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const first = stderr.split('\n')[0]!;
    expect(first.startsWith(`${path}:${at}: `), first).toBe(true);
    expect(first.slice(`${path}:${at}: `.length)).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at |TypeError|RangeError/);
  });

  it('control bytes from the file and its name are printed escaped', () => {
    const path = join(work, 'bell\u0007.yaml');
    writeFileSync(path, `${HEAD}"\\e[2Jkey\\u202e": 1\n`);
    const { code, stderr } = run(path);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(stderr).toContain('bell\\u0007.yaml:6:1: ');
    expect(stderr).toContain("unknown key '\\u001b[2Jkey\\u202e'");
  });
});
