import { describe, expect, it } from 'vitest';
import { isModerator, mayAddMembers, mayChangeRole, mayDeleteMessage, mayDeleteRoom, mayEditRoom, mayLeave, mayRemoveMember } from './roles';
import type { RoomRole } from './schema';

const ROLES: RoomRole[] = ['owner', 'admin', 'member'];

describe('room roles', () => {
  // role -> [moderates, adds members, leaves, deletes the room, renames it, gives roles to others]
  const rows: Record<RoomRole, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
    owner: [true, true, false, true, true, true],
    admin: [true, true, true, false, true, false],
    member: [false, false, true, false, false, false]
  };
  it.each(ROLES)('%s', (role) => {
    const others = mayChangeRole({ id: 'me', role }, { id: 'other' });
    expect([isModerator(role), mayAddMembers(role), mayLeave(role), mayDeleteRoom(role), mayEditRoom(role), others]).toEqual(rows[role]);
    // Nobody changes their own role: the owner hands the room over to someone else.
    expect(mayChangeRole({ id: 'me', role }, { id: 'me' })).toBe(false);
  });

  // actor role -> may delete someone else's message; one's own always
  const deletes: [RoomRole, boolean][] = [
    ['owner', true],
    ['admin', true],
    ['member', false]
  ];
  it.each(deletes)("a %s deletes someone else's message: %s", (role, allowed) => {
    expect(mayDeleteMessage({ id: 'me', role }, 'other')).toBe(allowed);
    expect(mayDeleteMessage({ id: 'me', role }, 'me')).toBe(true);
  });

  // [actor, target, allowed]: nobody removes an equal or higher role (the API's 403)
  const removals: [RoomRole, RoomRole, boolean][] = [
    ['owner', 'owner', false],
    ['owner', 'admin', true],
    ['owner', 'member', true],
    ['admin', 'owner', false],
    ['admin', 'admin', false],
    ['admin', 'member', true],
    ['member', 'owner', false],
    ['member', 'admin', false],
    ['member', 'member', false]
  ];
  it.each(removals)('a %s removes a %s: %s', (actor, target, allowed) => {
    expect(mayRemoveMember({ id: 'me', role: actor }, { id: 'other', role: target })).toBe(allowed);
  });

  it('removing oneself is leaving, not removing', () => {
    for (const role of ROLES) expect(mayRemoveMember({ id: 'me', role }, { id: 'me', role })).toBe(false);
  });
});
