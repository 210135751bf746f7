/**
 * Typed calls to Porch's JSON API (same origin, session cookie). Expected failures are
 * values: `{ ok: false, status, code, message }` where `message` is fit to show the user.
 */

export interface ApiUser {
  id: string;
  username: string;
}

export type Role = 'owner' | 'admin' | 'member';

export interface ApiRoom {
  id: string;
  name: string;
  topic: string | null;
  kind: 'group' | 'dm';
  createdAt: string;
  role: Role;
  memberCount: number;
  /** A DM's other person; null for a group (absent in what an older version cached). */
  peer?: string | null;
}

export interface ApiMember extends ApiUser {
  role: Role;
}

/** A member's notification choice for one room. */
export interface NotificationSettings {
  muted: boolean;
  mentions: boolean;
}

/** `PushSubscription.toJSON()`. */
export type PushSubscriptionJson = ReturnType<PushSubscription['toJSON']>;

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

/** A failed fetch or a gateway error: the server is out of reach, not saying no. */
export function unreachable(status: number): boolean {
  return status === 0 || status >= 500;
}

const NETWORK_ERROR = 'Could not reach Porch. Check your connection and try again.';

/**
 * `keepalive`: the request outlives the page (a removal done as the tab closes). A Blob body
 * is sent as it is (an image), anything else as JSON.
 */
async function call<T>(method: string, path: string, body?: unknown, { keepalive = false } = {}): Promise<ApiResult<T>> {
  let response: Response;
  const blob = body instanceof Blob ? body : null;
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': blob ? blob.type || 'application/octet-stream' : 'application/json' },
      body: body === undefined ? null : (blob ?? JSON.stringify(body)),
      credentials: 'same-origin',
      keepalive
    });
  } catch {
    return { ok: false, status: 0, code: 'network', message: NETWORK_ERROR };
  }
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data: payload as T };
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ok: false,
    status: response.status,
    code: typeof error?.code === 'string' ? error.code : 'http_' + response.status,
    message: typeof error?.message === 'string' ? error.message : `Something went wrong (HTTP ${response.status}).`
  };
}

export interface RoomDetails {
  room: Omit<ApiRoom, 'role' | 'memberCount'>;
  members: ApiMember[];
  /** People who wrote here and have left (or were removed): their messages keep a name. */
  former: ApiUser[];
  me: { role: Role };
}

export const api = {
  me: () => call<{ user: ApiUser }>('GET', '/api/me'),
  /** Who is signed in, or `user: null`: never a 401 (the browser would log it on the sign-in page). */
  session: () => call<{ user: ApiUser | null }>('GET', '/api/session'),
  rooms: () => call<{ rooms: ApiRoom[] }>('GET', '/api/rooms'),
  room: (roomId: string) => call<RoomDetails>('GET', `/api/rooms/${encodeURIComponent(roomId)}`),
  register: (username: string, password: string) => call<{ user: ApiUser }>('POST', '/api/auth/register', { username, password }),
  login: (username: string, password: string) => call<{ user: ApiUser }>('POST', '/api/auth/login', { username, password }),
  logout: () => call<null>('POST', '/api/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) => call<{ user: ApiUser }>('POST', '/api/me/password', { currentPassword, newPassword }),
  createRoom: (name: string, topic?: string) => call<{ room: ApiRoom }>('POST', '/api/rooms', topic ? { name, topic } : { name }),
  addMember: (roomId: string, username: string) =>
    call<{ member: ApiMember }>('POST', `/api/rooms/${encodeURIComponent(roomId)}/members`, { username }),
  removeMember: (roomId: string, userId: string) =>
    call<null>('DELETE', `/api/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`, undefined, { keepalive: true }),
  updateRoom: (roomId: string, change: { name?: string; topic?: string }) =>
    call<{ room: RoomDetails['room'] }>('PATCH', `/api/rooms/${encodeURIComponent(roomId)}`, change),
  setRole: (roomId: string, userId: string, role: Role) =>
    call<{ member: ApiMember }>('PATCH', `/api/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`, { role }),
  deleteAccount: (password: string, eraseMessages: boolean) => call<null>('DELETE', '/api/me', { password, eraseMessages }),
  setDisplayName: (displayName: string | null) => call<{ user: ApiUser }>('PATCH', '/api/me', { displayName }),
  setAvatar: (image: Blob) => call<{ avatar: number }>('PUT', '/api/me/avatar', image),
  removeAvatar: () => call<null>('DELETE', '/api/me/avatar'),
  deleteRoom: (roomId: string) => call<null>('DELETE', `/api/rooms/${encodeURIComponent(roomId)}`),
  /** The one DM room with `username` (created on first use). */
  openDm: (username: string) => call<{ room: ApiRoom }>('POST', '/api/dms', { username }),
  searchUsers: (q: string) => call<{ users: ApiUser[] }>('GET', `/api/users?q=${encodeURIComponent(q)}`),
  notificationSettings: (roomId: string) => call<NotificationSettings>('GET', `/api/rooms/${encodeURIComponent(roomId)}/notifications`),
  setNotificationSettings: (roomId: string, settings: NotificationSettings) =>
    call<NotificationSettings>('PUT', `/api/rooms/${encodeURIComponent(roomId)}/notifications`, settings),
  pushKey: () => call<{ publicKey: string }>('GET', '/api/push/key'),
  pushStatus: (endpoint: string) => call<{ subscribed: boolean }>('GET', `/api/push/subscriptions?endpoint=${encodeURIComponent(endpoint)}`),
  subscribePush: (subscription: PushSubscriptionJson) => call<{ subscribed: boolean }>('POST', '/api/push/subscriptions', subscription),
  unsubscribePush: (endpoint: string) => call<null>('DELETE', '/api/push/subscriptions', { endpoint })
};
