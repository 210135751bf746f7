import { forgetPushOnThisDevice } from '$lib/push/forget-device';
import { api, type ApiResult } from './api';
import { wipeLocalData } from './local-cache';

/**
 * Ends the session on the server, then removes this user's data from the device. Offline it
 * fails with a message instead: the session cookie can only be cleared by the server, and a
 * device that looks signed out but is not would be worse.
 */
export async function signOut(userId: string): Promise<ApiResult<null>> {
  // While the session still lets us tell the server which device leaves.
  await forgetPushOnThisDevice(userId);
  const result = await api.logout();
  if (result.ok) await wipeLocalData(userId);
  return result;
}

/** Deletes the account (password to confirm), then everything of it on this device. */
export async function deleteAccount(userId: string, password: string, eraseMessages: boolean): Promise<ApiResult<null>> {
  await forgetPushOnThisDevice(userId);
  const result = await api.deleteAccount(password, eraseMessages);
  if (result.ok) await wipeLocalData(userId);
  return result;
}
