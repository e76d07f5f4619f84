// The Kafka key of a raw tp2 record: the network user id (the `sp` cookie), else the client IP,
// read from the record's metadata without parsing the body. One user's requests then land in one
// partition and are loaded in order. Null (round robin) when the request has neither.
const META = '{"wc_raw":1,"m":';

export function recordKey(record: string): string | null {
  if (!record.startsWith(META)) return null;
  const end = record.indexOf('},"body":', META.length);
  if (end < 0) return null;
  try {
    const m = JSON.parse(record.slice(META.length, end + 1)) as { nuid?: string; ip?: string };
    return m.nuid ?? m.ip ?? null;
  } catch {
    return null;
  }
}
