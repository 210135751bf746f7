import { ApiError } from './api';

/** MAX_ROOMS_PER_USER reached, by a new room or a new DM. */
export function tooManyRooms(limit: number): ApiError {
  return new ApiError(409, 'too_many_rooms', `You have created ${limit} rooms, the most allowed here. Delete one to make another.`);
}

/** MAX_MEMBERS_PER_ROOM reached. */
export function roomFull(limit: number): ApiError {
  return new ApiError(409, 'room_full', `This room has ${limit} members, the most allowed here.`);
}
