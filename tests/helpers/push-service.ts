import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ece from 'http_ece';

/** One POST the fake push service received. */
export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A device as the push service and browser see it: the key pair only the test holds. */
export interface TestDevice {
  endpoint: string;
  ecdh: ECDH;
  authSecret: Buffer;
  /** `PushSubscription.toJSON()` of this device. */
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Decrypts a received body (aes128gcm) into the JSON payload. */
  decrypt(body: Buffer): unknown;
}

/**
 * A push service on 127.0.0.1 that records every POST and answers with the status set
 * for its path (201 by default), as FCM or Mozilla's autopush would.
 */
export async function startPushService(): Promise<{
  received: ReceivedPush[];
  status: Map<string, number>;
  device(name: string): TestDevice;
  close(): Promise<void>;
}> {
  const received: ReceivedPush[] = [];
  const status = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status.get(path) ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    received,
    status,
    device(name) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const endpoint = `${base}/push/${name}`;
      return {
        endpoint,
        ecdh,
        authSecret,
        json: { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') } },
        decrypt: (body) => JSON.parse(ece.decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret }).toString('utf8')) as unknown
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
