// Load generator for bench/collector.ts: wrk (C, one thread, keep-alive) when it is installed, so
// the figure measures the server rather than a Node client sharing the same two cores. Each
// request gets fresh event ids from a Lua counter, so dedupe never drops the load.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadResult { eventsPerSecond: number; p50: number; p99: number; errors: number }

async function wrkInstalled(): Promise<boolean> {
  try { await run('wrk', ['--version']); return true; } catch (e) { return (e as { code?: unknown }).code !== 'ENOENT'; }
}

/** True when wrk can be used; installs Debian's package when missing and running as root (as
 *  tests/system-deps.mjs does for chromium), else says how and leaves the Node client to the caller. */
export async function hasWrk(): Promise<boolean> {
  if (await wrkInstalled()) return true;
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench: wrk is not installed (sudo apt-get install -y wrk); using the Node client, which shares the CPU and caps the figure\n');
    return false;
  }
  process.stderr.write('bench: installing wrk from Debian\'s packages…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', 'wrk'], { env });
  } catch (e) {
    process.stderr.write(`bench: apt-get install wrk failed (${(e as Error).message.split('\n')[0]}); using the Node client\n`);
    return false;
  }
  return wrkInstalled();
}

// The request is formatted once and cut where the counter goes; each request joins the pieces with
// its counter. (string.gsub over the ~10 KB body cost wrk ~75 µs of CPU a request, about as much
// as its sockets: CPU taken from the server on a 2-core machine.)
const lua = (bodyFile: string, headers: Record<string, string>) => `
local f = io.open(${JSON.stringify(bodyFile)}, "r"); local template = f:read("*a"); f:close()
local headers = { ${Object.entries(headers).map(([k, v]) => `[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join(', ')} }
local counter, n, parts = 0, 0, {}
-- In init: wrk sets the Host header just before it, and wrk.format adds it from there.
init = function(args)
  counter = tonumber(args[1])
  local req = wrk.format("POST", "/com.snowplowanalytics.snowplow/tp2", headers, template)
  local at = 1
  while true do
    local s, e = string.find(req, "CCCCCCCC", at, true)
    if not s then break end
    n = n + 1
    parts[2 * n - 1] = string.sub(req, at, s - 1)
    at = e + 1
  end
  parts[2 * n + 1] = string.sub(req, at)
end
request = function()
  counter = counter + 1
  local id = string.format("%08x", counter)
  for i = 1, n do parts[2 * i] = id end
  return table.concat(parts)
end`;

function ms(text: string, label: string): number {
  const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'us' ? 1e-3 : m[2] === 's' ? 1e3 : 1);
}

/** `body` holds CCCCCCCC where each request's counter goes (inside every event id). */
export async function wrkLoad(dir: string, target: string, body: string, headers: Record<string, string>,
  eventsPerRequest: number, connections: number, seconds: number): Promise<LoadResult> {
  const bodyFile = join(dir, 'wrk-body.json');
  const script = join(dir, 'wrk-post.lua');
  await writeFile(bodyFile, body);
  await writeFile(script, lua(bodyFile, headers));
  // Warm-up (JIT, caches, connections) outside the measured window.
  // The two runs count from different starts so the measured one never repeats a warm-up id.
  await run('wrk', ['-t1', `-c${connections}`, '-d1s', '-s', script, target, '--', String(0x80000000)]);
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, target, '--', '0']);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0)
    + [...stdout.matchAll(/(connect|read|write|timeout) (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
  return { eventsPerSecond: rps * eventsPerRequest, p50: ms(stdout, '50%'), p99: ms(stdout, '99%'), errors };
}
