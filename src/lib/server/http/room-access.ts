import type { Sql } from 'postgres';
import { getRole, getRoom, type Role, type Room } from '../rooms';
import { ApiError } from './api';

/**
 * The room and the caller's role in it. Non-members get the same 404 as for a room that
 * does not exist: the API does not confirm that a room id is real.
 */
export async function roomForMember(sql: Sql, roomId: string, userId: string): Promise<{ room: Room; role: Role }> {
  const [room, role] = await Promise.all([getRoom(sql, roomId), getRole(sql, roomId, userId)]);
  if (!room || !role) throw new ApiError(404, 'room_not_found', 'No such room');
  return { room, role };
}
