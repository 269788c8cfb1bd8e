import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Ports after the asked one tried before any free port. */
const NEXT_PORTS = 10;

/**
 * Listens on `port`, or when another process holds it (a second worker on the host), on the next free
 * one of the following ten, else on any free port. Resolves with the port listened on; rejects on any
 * other error (e.g. EACCES, an address not on this host).
 */
export async function listenOnFreePort(server: Server, host: string, port: number): Promise<number> {
  const candidates = port === 0 ? [0] : [...Array.from({ length: NEXT_PORTS + 1 }, (_, i) => port + i), 0];
  for (const candidate of candidates.filter((p) => p <= 65_535)) {
    try {
      return await listenOnce(server, host, candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error('no free port');
}

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
