// How the collector and the engines reach an S3-compatible server: the standard AWS variables
// (the ones the collector's storage config reads) plus path-style addressing, which servers
// without per-bucket host names need.
export interface S3Access {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** S3 settings from the environment, when it names an endpoint and keys; AWS's own S3 needs no endpoint. */
export function s3AccessFromEnv(env: NodeJS.ProcessEnv): S3Access | undefined {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    endpoint: endpoint || `https://s3.${region}.amazonaws.com`, region,
    accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  };
}

export const s3Settings = (s3: S3Access, bucket: string): string[] => [
  `WEBCUBE_DATA_DIR=s3://${bucket}`, `AWS_ENDPOINT_URL=${s3.endpoint}`, `AWS_ACCESS_KEY_ID=${s3.accessKeyId}`,
  `AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}`, `AWS_REGION=${s3.region}`, 'WEBCUBE_S3_FORCE_PATH_STYLE=true',
];
