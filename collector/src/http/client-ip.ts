// The client IP: the socket address, or with a trusted proxy the first X-Forwarded-For entry,
// else `Forwarded: for=`, else X-Real-Ip (enrich's IpAddressExtractor order). Never trust those
// headers from the open internet: anyone can write them.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

function clean(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  if (isIP(candidate)) return candidate; // the usual case, without the clean-up below
  let ip = candidate.trim().replace(/^"|"$/g, '');
  if (ip.startsWith('[')) ip = ip.slice(1, ip.indexOf(']'));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  return isIP(ip) ? ip : undefined;
}

function fromForwarded(header: string): string | undefined {
  const m = /for=("[^"]*"|[^;,\s]+)/i.exec(header);
  return m ? clean(m[1]) : undefined;
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0];
    const fwd = req.headers.forwarded;
    const real = req.headers['x-real-ip'];
    const ip = clean(first) ?? (fwd ? fromForwarded(fwd) : undefined) ?? clean(Array.isArray(real) ? real[0] : real);
    if (ip) return ip;
  }
  const socketIp = req.socket.remoteAddress;
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; store the plain IPv4 form.
  return socketIp?.startsWith('::ffff:') && socketIp.includes('.') ? socketIp.slice(7) : socketIp;
}
