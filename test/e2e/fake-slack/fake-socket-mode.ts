import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Slack's Socket Mode end on 127.0.0.1: greets each connection with `hello`, sends envelopes and
 * resolves with the app's acknowledgement (`{ envelope_id, payload }`).
 */
export class FakeSocketMode {
  #server: WebSocketServer | undefined;
  #socket: WebSocket | undefined;
  #connected: Promise<void> | undefined;

  async start(): Promise<string> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.#server = server;
    await new Promise<void>((resolve) => server.once('listening', resolve));
    this.#connected = new Promise((resolve) => {
      server.on('connection', (socket) => {
        this.#socket = socket;
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'AFAKE' } }));
        resolve();
      });
    });
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
  }

  /** Sends a slash command envelope; resolves with the acknowledgement's payload. */
  async sendSlashCommand(payload: Record<string, string>): Promise<Record<string, unknown>> {
    await this.#connected;
    const socket = this.#socket;
    if (!socket) throw new Error('no Socket Mode connection');
    const envelopeId = randomUUID();
    const acked = new Promise<Record<string, unknown>>((resolve) => {
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (message.envelope_id !== envelopeId) return;
        socket.off('message', onMessage);
        resolve(message.payload ?? {});
      };
      socket.on('message', onMessage);
    });
    socket.send(
      JSON.stringify({ envelope_id: envelopeId, type: 'slash_commands', accepts_response_payload: true, payload }),
    );
    return acked;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
