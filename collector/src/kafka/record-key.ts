// The Kafka key of a raw tp2 record, read from the record's metadata without parsing the body:
// the network user id (the `sp` cookie) when the sender had one, else the client IP, else the
// first event's id. One user's requests then land in one partition and are loaded in order, and
// a tracker's retransmit of a request lands where the first attempt did, so the loader's
// per-partition dedupe (loader/partition-dedupe.ts) sees both. An id the collector made up for
// the request (no cookie) would send each retransmit to a random partition. Null (round robin)
// when the request has none of these.
const META = '{"wc_raw":1,"m":';
const FIRST_EID = /"eid"\s*:\s*"([^"\\]{1,64})"/;

export function recordKey(record: string): string | null {
  if (!record.startsWith(META)) return null;
  const end = record.indexOf('},"body":', META.length);
  if (end < 0) return null;
  let m: { nuid?: string; nuidNew?: number; ip?: string };
  try {
    m = JSON.parse(record.slice(META.length, end + 1)) as typeof m;
  } catch {
    return null;
  }
  if (m.nuid && m.nuidNew !== 1) return m.nuid;
  if (m.ip) return m.ip;
  return FIRST_EID.exec(record.slice(end))?.[1] ?? null;
}
