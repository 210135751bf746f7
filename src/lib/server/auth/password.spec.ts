import { describe, expect, it } from 'vitest';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';

describe('passwords', () => {
  it('hashes with argon2id at m=19456, t=2, p=1 and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('treats a corrupt stored hash as a failed check', async () => {
    expect(await verifyPassword('not a hash', 'whatever')).toBe(false);
  });

  it('spends real work for unknown users and always says no', async () => {
    await verifyAgainstDummy('warm up');
    const start = performance.now();
    expect(await verifyAgainstDummy('guess')).toBe(false);
    // argon2id at 19 MiB takes milliseconds, not microseconds.
    expect(performance.now() - start).toBeGreaterThan(1);
  });
});
