import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { locateElements, type LocatedElement } from './delivery';
import { appendedElements } from './appended';

/** Keeps a located copy of `array` the way RoomSync does: appends fast, anything else by a walk. */
function follow(array: Y.Array<{ n: number }>) {
  let located: LocatedElement<{ n: number }>[] = locateElements(array);
  let walks = 0;
  array.observe((event) => {
    const appended = appendedElements(event, located.length);
    if (appended) located = [...located, ...appended];
    else {
      walks++;
      located = locateElements(array);
    }
  });
  return { get located() { return located; }, get walks() { return walks; } };
}

describe('appendedElements', () => {
  it('follows local and remote appends without walking the array', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const arr = a.getArray<{ n: number }>('m');
    const seen = follow(arr);
    arr.insert(0, [{ n: 0 }]);
    arr.insert(1, [{ n: 1 }, { n: 2 }]);
    const remote = b.getArray<{ n: number }>('m');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    remote.insert(remote.length, [{ n: 3 }]);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    expect(seen.walks).toBe(0);
    expect(seen.located).toEqual(locateElements(arr));
  });

  it('gives up (null) on inserts in the middle and on deletions, so the caller walks', () => {
    const doc = new Y.Doc();
    const arr = doc.getArray<{ n: number }>('m');
    arr.insert(0, [{ n: 0 }, { n: 1 }]);
    const seen = follow(arr);
    arr.insert(1, [{ n: 9 }]);
    arr.delete(0, 1);
    expect(seen.walks).toBe(2);
    expect(seen.located).toEqual(locateElements(arr));
  });

  it('keeps struct ids right when one transaction appends several items', () => {
    const doc = new Y.Doc();
    const arr = doc.getArray<{ n: number }>('m');
    const seen = follow(arr);
    doc.transact(() => {
      arr.insert(0, [{ n: 0 }]);
      arr.insert(1, [{ n: 1 }]);
    });
    expect(seen.located).toEqual(locateElements(arr));
    expect(seen.walks).toBe(0);
  });
});
