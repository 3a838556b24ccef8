import { serve as nodeServe, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { createError } from '../errors.js';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

/** Starts the app on a port (0 = any free one) on the given host. */
export function listen(app: Hono, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = nodeServe({ fetch: app.fetch, port: options.port, hostname: options.host }, (info) => {
        const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${info.port}`;
        resolve({
          port: info.port,
          url,
          close: (graceMs = 5000) =>
            new Promise<void>((done) => {
              const timer = setTimeout(() => {
                // SSE streams never end on their own: cut what is left after the grace period
                (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
              }, graceMs);
              (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
              server.close(() => {
                clearTimeout(timer);
                done();
              });
            }),
        });
      });
      server.on('error', (e: NodeJS.ErrnoException) => {
        const where = `${options.host}:${options.port}`;
        if (e.code === 'EADDRINUSE') reject(createError('PORT_IN_USE', `serve: ${where} is already in use; choose another --port`, { subject: '--port' }));
        else if (e.code === 'EACCES') reject(createError('PORT_IN_USE', `serve: not allowed to listen on ${where}; choose a port above 1023`, { subject: '--port' }));
        else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(createError('USAGE', `serve: cannot listen on ${where}: no such local address; check --host`, { subject: '--host' }));
        else reject(e);
      });
    } catch (e) {
      reject(e);
    }
  });
}
