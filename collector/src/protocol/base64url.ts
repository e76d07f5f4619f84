// Decodes the trackers' base64url (ue_px, cx): both alphabets, padding optional, UTF-8
// (snowplow.md pitfall 8). Returns undefined for anything that is not valid base64.
const VALID = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function decodeBase64Url(input: string): string | undefined {
  const trimmed = input.trim();
  if (!VALID.test(trimmed)) return undefined;
  const body = trimmed.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  return Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

export function encodeBase64Url(input: string): string {
  return Buffer.from(input, 'utf8').toString('base64url');
}
