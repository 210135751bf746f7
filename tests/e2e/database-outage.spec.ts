import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/lib/server/db/database';
import { migrate, readMigrations } from '../../src/lib/server/db/migrate';
import { freshBenchDatabase } from '../bench/lib/bench-database';
import { MIGRATIONS_DIR } from '../helpers/database';
import { startTcpProxy, type TcpProxy, type Upstream } from '../helpers/tcp-proxy';
import { createRoomWith, messageWith, send, signUp, username } from './helpers';
import { privateServer, type PrivateServer } from './private-server';

const OUTAGE_MS = 10_000;
const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The database this test can take away: a fresh database on the real Postgres (DATABASE_URL's
 * server, else 127.0.0.1:5432) when one answers; otherwise an in-memory PGlite in this process,
 * which the server reaches over the same Postgres wire protocol (no Postgres on the machine
 * still tests the behaviour, through the same proxy).
 */
async function outageDatabase(): Promise<{ upstream: Upstream; database: string; kind: string; close(): Promise<void> }> {
  const probe = postgres(POSTGRES, { max: 1, connect_timeout: 2, onnotice: () => {} });
  const reachable = await probe`select 1`.then(
    () => true,
    () => false
  );
  await probe.end({ timeout: 1 });
  if (reachable) {
    const { url, sql } = await freshBenchDatabase('porch_e2e_outage', POSTGRES);
    await sql.end();
    const parsed = new URL(url);
    return { upstream: { host: parsed.hostname, port: Number(parsed.port || 5432) }, database: 'porch_e2e_outage', kind: 'Postgres', close: async () => {} };
  }
  const db: Database = await openDatabase({ dataDir: 'memory://' });
  await migrate(db.sql, await readMigrations(MIGRATIONS_DIR));
  return { upstream: { path: db.socketPath! }, database: 'postgres', kind: 'PGlite (no Postgres reachable)', close: () => db.close() };
}

test('the database goes away for 10 s mid-chat: messages stay Pending, /healthz says 503, then they are Sent by themselves', async ({ browser }) => {
  test.setTimeout(120_000);
  const database = await outageDatabase();
  let proxy: TcpProxy | null = null;
  let server: PrivateServer | null = null;
  try {
    proxy = await startTcpProxy(database.upstream);
    const credentials = new URL(POSTGRES);
    const via = `postgres://${credentials.username || 'postgres'}${credentials.password ? `:${credentials.password}` : ''}@127.0.0.1:${proxy.port}/${database.database}`;
    server = await privateServer(Number(process.env.E2E_PORT ?? 4173) + 9, { DATABASE_URL: via, LOG_LEVEL: 'silent' });
    const health = async () => (await fetch(`${server!.url}/healthz`)).status;
    console.log(`database outage on ${database.kind}`);

    const boName = username('bo');
    const ana = await signUp(browser, username('ana'), { baseURL: server.url });
    const bo = await signUp(browser, boName, { baseURL: server.url });
    const roomUrl = await createRoomWith(ana, 'Outage', boName);
    await bo.goto(roomUrl);
    await send(ana, 'before the outage');
    await expect(bo.getByRole('log').getByText('before the outage')).toBeVisible();
    await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1);

    proxy.cut();
    const cutAt = Date.now();
    expect(await health()).toBe(503);
    await send(ana, 'during the outage one');
    await send(ana, 'during the outage two');
    // On screen at once, but not Sent: nothing is acked that is not stored.
    await expect(messageWith(ana, 'during the outage two')).toBeVisible();
    await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(2);
    await new Promise((r) => setTimeout(r, Math.max(0, cutAt + OUTAGE_MS - Date.now())));
    expect(await health()).toBe(503);
    await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(2);
    await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1);
    await expect(bo.getByRole('log').getByText(/during the outage/)).toHaveCount(0);

    proxy.restore();
    const restoredAt = Date.now();
    await expect.poll(health, { timeout: 10_000 }).toBe(200);
    const healthyMs = Date.now() - restoredAt;
    // No reload, no click: the page reconnects and resends by itself.
    await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(3, { timeout: 30_000 });
    const sentMs = Date.now() - restoredAt;
    await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(0);
    for (const text of ['during the outage one', 'during the outage two']) {
      await expect(messageWith(bo, text)).toHaveCount(1, { timeout: 30_000 });
      await expect(messageWith(ana, text)).toHaveCount(1);
    }
    const receivedMs = Date.now() - restoredAt;
    console.log(`outage ${OUTAGE_MS} ms: healthy again ${healthyMs} ms after the database returned, all Sent after ${sentMs} ms, received by the other member after ${receivedMs} ms`);
  } finally {
    await server?.kill();
    await proxy?.close();
    await database.close();
  }
});
