// A `--reset` command for tests: restarts `syncsim serve` on a port (a fresh, empty store)
// and returns once it answers. Usage: node restart-serve.mjs PORT PIDFILE [--user name:token ...]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [port, pidFile, ...users] = process.argv.slice(2);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'syncsim.js');

// A pid file may exist and be empty (mktemp): never signal 0, which is the whole process group.
const old = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
if (Number.isInteger(old) && old > 0) {
  try {
    process.kill(old, 'SIGKILL');
  } catch {
    // already gone
  }
}
const child = spawn(process.execPath, [bin, 'serve', '--port', port, ...users], { detached: true, stdio: 'ignore' });
child.unref();
writeFileSync(pidFile, String(child.pid));

const answers = () =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: '/v1/sync/status', method: 'HEAD', timeout: 500 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
// The old process may still hold the port for a moment: wait for the new one (bounded: 10 s).
for (let i = 0; i < 100; i++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  if (await answers()) {
    try {
      process.kill(child.pid, 0);
      process.exit(0);
    } catch {
      break;
    }
  }
}
console.error(`syncsim serve did not come up on port ${port}`);
process.exit(1);
