// IP anonymisation as Snowplow's anon_ip enrichment: the last N IPv4 octets or IPv6 segments
// become "x". Runs after the geo lookup so location stays accurate while the stored IP does not.
import { isIPv4, isIPv6 } from 'node:net';

function expandIPv6(ip: string): string[] {
  let addr = ip.split('%')[0];
  // IPv4-mapped tail (::ffff:1.2.3.4) → two hex segments, so segment counting stays uniform.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    addr = addr.slice(0, -v4[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t];
}

export function anonymiseIp(ip: string, octets: number, segments: number): string {
  if (octets <= 0 && segments <= 0) return ip;
  if (isIPv4(ip)) {
    if (octets <= 0) return ip;
    const parts = ip.split('.');
    return parts.map((p, i) => (i >= 4 - octets ? 'x' : p)).join('.');
  }
  if (isIPv6(ip)) {
    if (segments <= 0) return ip;
    const parts = expandIPv6(ip);
    return parts.map((p, i) => (i >= 8 - segments ? 'x' : p)).join(':');
  }
  return ip;
}
