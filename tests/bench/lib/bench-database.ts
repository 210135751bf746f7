import postgres, { type Sql } from 'postgres';
import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';
import { readMigrations, migrate } from '../../../src/lib/server/db/migrate';
import { createSession } from '../../../src/lib/server/auth/session';
import { addMember, createRoom } from '../../../src/lib/server/rooms';
import { insertUser } from '../../../src/lib/server/users';
import { StoredState } from '../../../sync-server/storage/stored-state';

/**
 * A fresh, migrated database `name` (dropped and made again) on the local Postgres, or on
 * `server`'s (default BENCH_DATABASE_URL's). The reliability scripts use it too, with names of their own.
 */
export async function freshBenchDatabase(name = process.env.BENCH_DATABASE_NAME ?? 'porch_bench', server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'): Promise<{ url: string; sql: Sql }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const base = new URL(server);
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  base.pathname = `/${name}`;
  const url = base.toString();
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  await migrate(sql, await readMigrations('migrations'));
  return { url, sql };
}

export interface SeededRoom {
  id: string;
  members: { id: string; token: string }[];
}

/** `rooms` rooms of `perRoom` members each, every member with a live session (4 rooms at a time). */
export async function seedRooms(sql: Sql, rooms: number, perRoom: number): Promise<SeededRoom[]> {
  const out: SeededRoom[] = [];
  const seedRoom = async (r: number): Promise<SeededRoom> => {
    const members: SeededRoom['members'] = [];
    for (let m = 0; m < perRoom; m++) {
      const user = await insertUser(sql, `b${r}_${m}_${Math.random().toString(36).slice(2, 6)}`, 'x');
      const { token } = await createSession(sql, user!.id);
      members.push({ id: user!.id, token });
    }
    const room = await createRoom(sql, members[0]!.id, `bench ${r}`);
    for (const m of members.slice(1)) await addMember(sql, room.id, m.id);
    return { id: room.id, members };
  };
  for (let r = 0; r < rooms; r += 4) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(4, rooms - r) }, (_, i) => seedRoom(r + i)))));
  }
  return out;
}

/**
 * Stores `messages` chat messages by `authorId` in the room as one compacted snapshot (what
 * a long-lived room looks like in Postgres) and binds the writing clientID to the author.
 * Returns the document's state vector: what an up-to-date client would send.
 */
export async function seedHistory(sql: Sql, roomId: string, authorId: string, messages: number, text = (i: number) => `message ${i}: ${'lorem ipsum '.repeat(3)}`): Promise<{ stateVector: Uint8Array; snapshotBytes: number }> {
  const doc = new Y.Doc();
  for (let i = 0; i < messages; i++) sendMessage(doc, { author: authorId, text: text(i) });
  const snapshot = Y.encodeStateAsUpdate(doc);
  // With its state vector and deletions, as compaction writes a snapshot (migration 005).
  const state = StoredState.of(doc).encode();
  await sql`
    insert into room_snapshots (room_id, data, update_count, state_vector, delete_set, state_of)
    values (${roomId}, ${Buffer.from(snapshot)}, ${messages}, ${Buffer.from(state.stateVector)}, ${Buffer.from(state.deleteSet)}, ${messages})`;
  await sql`insert into doc_clients (room_id, client_id, user_id) values (${roomId}, ${doc.clientID}, ${authorId})`;
  doc.destroy();
  return { stateVector: state.stateVector, snapshotBytes: snapshot.byteLength };
}
