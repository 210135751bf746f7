import type { Sql } from 'postgres';
import webpush from 'web-push';

/** The server's VAPID key pair, URL-safe base64 as browsers and web-push expect. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const NAME = 'vapid';

/**
 * The VAPID keys, generated on first use and stored in `server_keys`. Two instances
 * starting at once may both generate a pair: `on conflict do nothing` keeps the first one
 * written and both read that one back, so every instance signs with the same key.
 */
export async function loadVapidKeys(sql: Sql): Promise<VapidKeys> {
  const [existing] = await sql<{ public_key: string; private_key: string }[]>`
    select public_key, private_key from server_keys where name = ${NAME}`;
  if (existing) return { publicKey: existing.public_key, privateKey: existing.private_key };
  const fresh = webpush.generateVAPIDKeys();
  await sql`
    insert into server_keys (name, public_key, private_key) values (${NAME}, ${fresh.publicKey}, ${fresh.privateKey})
    on conflict (name) do nothing`;
  const [row] = await sql<{ public_key: string; private_key: string }[]>`
    select public_key, private_key from server_keys where name = ${NAME}`;
  return { publicKey: row!.public_key, privateKey: row!.private_key };
}
