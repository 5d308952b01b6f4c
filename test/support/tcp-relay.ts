import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * Relays a local port to PostgreSQL so that a test can break the network between gateway and database:
 * `cut()` resets every connection and stops listening (connection refused), `freeze()` keeps every
 * connection open but forwards nothing (a server that accepts and never answers), `restore()` and
 * `thaw()` undo them.
 */
export class TcpRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A relay to the host and port of a PostgreSQL URL, listening; `urlVia` rewrites URLs to go through it. */
  static async to(serverUrl: string): Promise<TcpRelay> {
    const target = new URL(serverUrl);
    const relay = new TcpRelay({ host: target.hostname || '127.0.0.1', port: Number(target.port || 5432) });
    await relay.restore();
    return relay;
  }

  urlVia(url: string): string {
    const via = new URL(url);
    via.hostname = '127.0.0.1';
    via.port = String(this.port);
    return via.toString();
  }

  async restore(): Promise<void> {
    this.server = createServer({ pauseOnConnect: true }, (client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
      if (this.frozen) upstream.pause();
      else client.resume();
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    if (typeof address === 'object' && address) this.port = address.port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server?.listening ? this.server.close(() => resolve()) : resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    await closed;
  }

  /** Stops reading on every connection, present and future: bytes wait in the kernel's buffers, nothing is answered. */
  freeze(): void {
    this.frozen = true;
    for (const socket of this.sockets) socket.pause();
  }

  thaw(): void {
    this.frozen = false;
    for (const socket of this.sockets) socket.resume();
  }

  /** Back to relaying, whatever was done to it. */
  async heal(): Promise<void> {
    this.thaw();
    if (!this.server?.listening) await this.restore();
  }
}
