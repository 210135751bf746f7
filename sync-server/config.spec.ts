import { describe, expect, it } from 'vitest';
import { defaultLimits, readLimits } from './config';

describe('readLimits', () => {
  it('reads every limit from its environment variable, with the documented defaults', () => {
    expect(readLimits({})).toEqual(defaultLimits);
    const limits = readLimits({
      MAX_FRAME_BYTES: '65536',
      SYNC_RATE_BURST: '20',
      SYNC_RATE_PER_SECOND: '5',
      MAX_CONNECTIONS_PER_USER: '3',
      MAX_ROOMS_PER_USER: '10',
      MAX_MEMBERS_PER_ROOM: '50',
      LOGIN_FREE_ATTEMPTS: '3',
      LOGIN_FREE_ATTEMPTS_PER_ADDRESS: '30',
      LOGIN_BACKOFF_MS: '500',
      LOGIN_BACKOFF_MAX_MS: '60000'
    });
    expect(limits).toEqual({
      maxFrameBytes: 65536,
      rateBurst: 20,
      ratePerSecond: 5,
      maxConnectionsPerUser: 3,
      maxRoomsPerUser: 10,
      maxMembersPerRoom: 50,
      loginFreeAttemptsPerUsername: 3,
      loginFreeAttemptsPerAddress: 30,
      loginBackoffMs: 500,
      loginBackoffMaxMs: 60000
    });
  });

  it('refuses a value that would lock everyone out or is not a whole number, naming the variable', () => {
    expect(() => readLimits({ SYNC_RATE_PER_SECOND: '0' })).toThrow(/SYNC_RATE_PER_SECOND/);
    expect(() => readLimits({ MAX_FRAME_BYTES: '1mb' })).toThrow(/MAX_FRAME_BYTES/);
    expect(() => readLimits({ MAX_MEMBERS_PER_ROOM: '1' })).toThrow(/MAX_MEMBERS_PER_ROOM/);
  });
});
