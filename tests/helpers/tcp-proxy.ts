import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** Where the proxy forwards to: a TCP address or a Unix socket. */
export type Upstream = { host: string; port: number } | { path: string };

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones: the database "goes away". */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy that can play a stopped database: `cut()` drops every connection and
 * stops listening (new connections are refused), `restore()` listens on the same port again.
 */
export async function startTcpProxy(upstream: Upstream): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const remote = 'path' in upstream ? connect(upstream.path) : connect(upstream.port, upstream.host);
    open.add(client).add(remote);
    const drop = () => {
      client.destroy();
      remote.destroy();
      open.delete(client);
      open.delete(remote);
    };
    client.on('error', drop).on('close', drop);
    remote.on('error', drop).on('close', drop);
    client.pipe(remote);
    remote.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const cut = () => {
    if (listening) server.close();
    listening = false;
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    port,
    cut,
    restore() {
      if (!listening) server.listen(port, '127.0.0.1');
      listening = true;
    },
    async close() {
      cut();
    }
  };
}
