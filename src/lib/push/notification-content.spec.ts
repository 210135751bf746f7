import { describe, expect, it } from 'vitest';
import { countedIds, fallbackNotification, noticeNotification, parseNotice, targetPath } from './notification-content';

const notice = { roomId: 'room-1', roomName: 'Garden', messageId: 'm1', author: 'ana', preview: 'ripe!' };

describe('notification content', () => {
  it('one message: "author: preview", tagged with the room, with icon and badge', () => {
    const { title, options } = noticeNotification(notice, []);
    expect(title).toBe('Garden');
    expect(options).toMatchObject({ body: 'ana: ripe!', tag: 'room-1', icon: '/icons/icon-192.png', badge: '/icons/badge-96.png' });
    expect(countedIds(options.data)).toEqual(['m1']);
  });

  it('a DM (named after its sender) shows the preview alone', () => {
    expect(noticeNotification({ ...notice, roomName: 'ana' }, []).options.body).toBe('ripe!');
  });

  it('collapses into "N new messages", counting a message once', () => {
    expect(noticeNotification({ ...notice, messageId: 'm3' }, ['m1', 'm2']).options.body).toBe('3 new messages');
    expect(noticeNotification(notice, ['m1', 'm2']).options.body).toBe('2 new messages');
  });

  it('reads only our payloads; anything else gets the fallback', () => {
    expect(parseNotice(notice)).toEqual(notice);
    expect(parseNotice(null)).toBeNull();
    expect(parseNotice({ ...notice, roomId: '../../evil' })).toBeNull();
    expect(fallbackNotification().options).toMatchObject({ body: 'New message in Porch', tag: 'porch' });
  });

  it('a click leads to the room, or home', () => {
    expect(targetPath({ roomId: 'room-1', messageIds: [] })).toBe('/rooms/room-1');
    expect(targetPath({ roomId: 'https://evil.example' })).toBe('/');
    expect(targetPath(null)).toBe('/');
  });
});
