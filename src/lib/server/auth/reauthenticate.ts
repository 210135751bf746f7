import type { Sql } from 'postgres';
import { apiError } from '../http/api';
import type { SignInThrottle } from './login-throttle';
import { verifyPassword } from './password';
import { passwordHashOf } from '../users';

/**
 * Asks for the password again before something a stolen session must not do alone (a new
 * password, deleting the account). A wrong one counts as a failed sign-in. Returns the
 * refusal to answer with (403, or 429 while throttled), or null when the password is right.
 */
export async function refuseUnlessPassword(
  sql: Sql,
  throttle: SignInThrottle,
  user: { id: string; username: string },
  password: string,
  address: string
): Promise<Response | null> {
  const attempt = { username: user.username, address };
  const seconds = await throttle.retryAfterSeconds(attempt);
  if (seconds > 0) return apiError(429, 'too_many_attempts', `Too many attempts. Try again in ${seconds} s.`, { 'retry-after': String(seconds) });
  const stored = await passwordHashOf(sql, user.id);
  if (!stored || !(await verifyPassword(stored, password))) {
    await throttle.failed(attempt);
    return apiError(403, 'wrong_password', 'Your current password is not right');
  }
  await throttle.succeeded(attempt);
  return null;
}
