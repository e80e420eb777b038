import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayError } from '../errors/gateway-error.js';
import { errorAnswer } from './error-handler.js';

/** llhttp's and Node's codes for what a client got wrong before Express ever saw a request. */
function refusalFor(code: string | undefined): GatewayError {
  if (code === 'HPE_HEADER_OVERFLOW') return new GatewayError('HEADERS_TOO_LARGE');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new GatewayError('REQUEST_TIMEOUT', 'the request headers did not arrive within HTTP_HEADERS_TIMEOUT_MS');
  return new GatewayError('MALFORMED_REQUEST');
}

/**
 * Node answers requests it cannot parse (a 20 KB header: 431; a malformed request line or an HTTP/1.0
 * body without a length: 400; headers slower than headersTimeout: 408) by itself, with a bare
 * status line: not JSON, no X-Request-Id. The server's clientError hook answers them as every other
 * refusal is answered (the error table's status, the JSON body, a fresh request id), then closes the
 * connection, since the parser cannot find the next request on it.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    // Gone already, or an answer under way on this connection: nothing more can be said.
    if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) return void socket.destroy();
    const requestId = randomUUID();
    const answer = errorAnswer(refusalFor(err.code), requestId);
    const body = JSON.stringify(answer.body);
    const extra = Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.end(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n${extra}Connection: close\r\n\r\n${body}`,
    );
  });
}
