import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { defaultLimits, defaultSettings, readConfig, readLimits } from './config';

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

describe('readConfig', () => {
  it('falls back to the declared defaults for every unset variable', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      ...defaultSettings,
      dataDir: resolve(defaultSettings.dataDir),
      appDir: resolve(defaultSettings.appDir),
      migrationsDir: resolve(defaultSettings.migrationsDir),
      limits: defaultLimits,
      databaseUrl: undefined,
      redisUrl: undefined,
      secureCookies: false,
      pushAllowInsecure: false
    });
  });

  it('reads what is set, and names the variable of a bad value', () => {
    const config = readConfig({ PORT: '8080', REDIS_URL: 'redis://cache:6379', APPEND_GATHER_MS: '0', ORIGIN: 'https://chat.example.org', MAX_CONNECTIONS_PER_USER: '7' });
    expect(config).toMatchObject({ port: 8080, redisUrl: 'redis://cache:6379', appendGatherMs: 0, secureCookies: true, limits: { maxConnectionsPerUser: 7 } });
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => readConfig({ PORT: 'http' })).toThrow(/PORT/);
  });
});
