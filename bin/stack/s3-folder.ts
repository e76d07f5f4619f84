// Makes an S3 "folder" exist before an engine registers a table over it. S3 has no folders:
// PrestoDB's file system calls a prefix a directory only when keys lie under it (or an empty
// `prefix/` marker object does, the convention of Hadoop's S3 clients, which both engines skip
// when listing files), and refuses an external location that is not a directory.
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { makeS3Client } from '../../collector/src/sinks/s3.ts';
import type { S3Access } from './s3-access.ts';

/** `location` is s3://bucket/path or s3a://bucket/path. */
export async function ensureS3Folder(access: S3Access, location: string): Promise<void> {
  const [, bucket, path] = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(location) ?? [];
  if (!bucket) throw new Error(`not an S3 location: ${location}`);
  const prefix = `${path!.replace(/\/+$/, '')}/`;
  const client = makeS3Client({ ...access, forcePathStyle: true });
  try {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
    if ((listed.KeyCount ?? 0) === 0) await client.send(new PutObjectCommand({ Bucket: bucket, Key: prefix, Body: new Uint8Array() }));
  } finally {
    client.destroy();
  }
}
