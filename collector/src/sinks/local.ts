// Local-filesystem sink: temp file + fsync + rename, then fsync the directory, so a crash leaves
// either the whole file or nothing, and readers globbing *.parquet never see a partial file.
import { mkdir, open, readFile, readdir, rename, rm, copyFile, stat, link } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Sink } from './sink.ts';

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

async function walk(dir: string, base: string, out: string[]): Promise<void> {
  let entries;
  try { entries = await readdir(dir, { withFileTypes: true }); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_tmp')) continue;
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(join(dir, entry.name), rel, out);
    else out.push(rel);
  }
}

export async function openLocalSink(root: string): Promise<Sink> {
  const stagingDir = join(root, '.tmp');
  await mkdir(stagingDir, { recursive: true });
  const pathOf = (key: string) => join(root, ...key.split('/'));
  const place = async (tmp: string, key: string) => {
    const dest = pathOf(key);
    await mkdir(dirname(dest), { recursive: true });
    await fsyncPath(tmp);
    await rename(tmp, dest);
    await fsyncPath(dirname(dest));
  };
  const sink: Sink = {
    kind: 'local',
    stagingDir,
    async putFile(localPath, key) {
      if (localPath.startsWith(stagingDir + sep)) return place(localPath, key);
      const tmp = join(stagingDir, `${randomUUID()}.tmp`);
      await copyFile(localPath, tmp);
      await place(tmp, key);
      await rm(localPath, { force: true });
    },
    async putBytes(key, data) {
      const tmp = join(stagingDir, `${randomUUID()}.tmp`);
      const fh = await open(tmp, 'w');
      try { await fh.writeFile(data); } finally { await fh.close(); }
      await place(tmp, key);
    },
    async putIfAbsent(key, data) {
      // link() fails with EEXIST atomically, and the target appears with its full content.
      const tmp = join(stagingDir, `${randomUUID()}.tmp`);
      const fh = await open(tmp, 'w');
      try { await fh.writeFile(data); await fh.sync(); } finally { await fh.close(); }
      const dest = pathOf(key);
      await mkdir(dirname(dest), { recursive: true });
      try {
        await link(tmp, dest);
        await fsyncPath(dirname(dest));
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      } finally {
        await rm(tmp, { force: true });
      }
    },
    async getBytes(key) {
      try { return await readFile(pathOf(key)); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async download(key, localPath) { await copyFile(pathOf(key), localPath); },
    async list(prefix) {
      const clean = prefix.replace(/\/+$/, '');
      const out: string[] = [];
      await walk(clean ? pathOf(clean) : root, clean, out);
      return out.sort();
    },
    async listSizes(prefix) {
      const keys = await sink.list(prefix);
      const out: { key: string; size: number }[] = [];
      for (const key of keys) {
        // A file may vanish between readdir and stat (a compactor deleting it): skip it.
        try { out.push({ key, size: (await stat(pathOf(key))).size }); } catch { /* gone */ }
      }
      return out;
    },
    async delete(keys) {
      const dirs = new Set<string>();
      for (const key of keys) { await rm(pathOf(key), { force: true }); dirs.add(dirname(pathOf(key))); }
      for (const dir of dirs) await fsyncPath(dir).catch(() => undefined);
    },
    localPath: pathOf,
    async close() {},
  };
  return sink;
}
