// Decodes the trackers' base64url (ue_px, cx): both alphabets, padding optional, UTF-8
// (snowplow.md pitfall 8). Returns undefined for anything that is not valid base64.
const VALID = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function decodeBase64Url(input: string): string | undefined {
  const trimmed = input.trim();
  if (!VALID.test(trimmed)) return undefined;
  let length = trimmed.length;
  while (length > 0 && trimmed.charCodeAt(length - 1) === 0x3d /* = */) length--;
  if (length % 4 === 1) return undefined;
  // Node's decoder reads both alphabets and stops at the padding, so the text needs no rewriting.
  return Buffer.from(trimmed, 'base64').toString('utf8');
}

export function encodeBase64Url(input: string): string {
  return Buffer.from(input, 'utf8').toString('base64url');
}
