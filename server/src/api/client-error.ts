// Answers requests node's HTTP parser refuses (headers too large, malformed framing, a client too
// slow) before any route runs: Cube's JSON envelope, and `Connection: close`, since the socket is
// destroyed after it. Fastify's default answer leaves that header out, so a keep-alive client sent
// its next request down the dead socket and got ECONNRESET.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ error: status === 431 ? 'Request header fields too large' : status === 408 ? 'Request timeout' : 'Malformed HTTP request' });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  socket.destroy();
}
