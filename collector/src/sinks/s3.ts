// S3 / MinIO sink: objects appear only when an upload completes (a PUT is atomic), so the
// final key is written once, from a finished local file; there are no temp keys to clean up.
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import {
  S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, DeleteObjectsCommand, NoSuchKey,
} from '@aws-sdk/client-s3';
import type { S3Settings } from '../storage/storage-config.ts';
import type { Sink } from './sink.ts';

export interface S3SinkOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly settings: S3Settings;
  readonly stagingDir: string;
}

export function makeS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    // Streamed uploads otherwise use aws-chunked encoding with trailing checksums, which many
    // S3-compatible servers (older MinIO, Ceph, s3rver) store verbatim as the object body.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, sessionToken: settings.sessionToken } }
      : {}),
  });
}

export async function openS3Sink(o: S3SinkOptions): Promise<Sink> {
  const client = makeS3Client(o.settings);
  const base = o.prefix ? `${o.prefix.replace(/\/+$/, '')}/` : '';
  await mkdir(o.stagingDir, { recursive: true });
  const getBytes = async (key: string): Promise<Uint8Array | undefined> => {
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: base + key }));
      return await res.Body!.transformToByteArray();
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  };
  const sink: Sink = {
    kind: 's3',
    stagingDir: o.stagingDir,
    async putFile(localPath, key) {
      const { size } = await stat(localPath);
      await client.send(new PutObjectCommand({
        Bucket: o.bucket, Key: base + key, Body: createReadStream(localPath), ContentLength: size,
      }));
      await rm(localPath, { force: true });
    },
    async putBytes(key, data) {
      await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: base + key, Body: data }));
    },
    async putIfAbsent(key, data) {
      // Conditional write (If-None-Match: *) is exact on AWS S3 and current MinIO; servers that
      // ignore the header still get the existence check first (a best-effort lock there).
      if (await getBytes(key)) return false;
      try {
        await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: base + key, Body: data, IfNoneMatch: '*' }));
        return true;
      } catch (e) {
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 412 || status === 409) return false;
        throw e;
      }
    },
    getBytes,
    async download(key, localPath) {
      const bytes = await getBytes(key);
      if (!bytes) throw new Error(`s3://${o.bucket}/${base}${key} does not exist`);
      await writeFile(localPath, bytes);
    },
    async list(prefix) {
      return (await sink.listSizes(prefix)).map((e) => e.key);
    },
    async listSizes(prefix) {
      const keys: { key: string; size: number }[] = [];
      let token: string | undefined;
      do {
        const res = await client.send(new ListObjectsV2Command({
          Bucket: o.bucket, Prefix: base + prefix, ContinuationToken: token,
        }));
        for (const obj of res.Contents ?? []) if (obj.Key) keys.push({ key: obj.Key.slice(base.length), size: obj.Size ?? 0 });
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
      return keys.filter((k) => !k.key.split('/').some((part) => part.startsWith('.')))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000);
        await client.send(new DeleteObjectsCommand({
          Bucket: o.bucket, Delete: { Objects: chunk.map((k) => ({ Key: base + k })), Quiet: true },
        }));
      }
    },
    localPath: () => undefined,
    async close() { client.destroy(); },
  };
  return sink;
}
