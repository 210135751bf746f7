import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/**
 * A faster reader for the values of Yjs `ContentAny` items (every chat message is one), for
 * loading a long room. Decoding a stored room is mostly reading these: per message an object
 * of four keys and three strings, each of which lib0 reads through a fresh Uint8Array view
 * and a TextDecoder call, and a float whose read makes a fresh DataView. At 10,000 messages
 * that was a third of the main thread's time in opening the local copy (docs/benchmarks.md).
 * Here, in an update large enough to matter, an ASCII string is a slice of one latin1 copy
 * of the whole update, and floats come from one DataView per update; the values read are
 * the same as lib0's `readAny` reads (any-reader.spec.ts compares them).
 */

/** Updates from this size on (a loaded room, a first sync) decode their ASCII strings as slices. */
const SLICE_FROM_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// Any single-byte decoding maps ASCII to itself, and slices are only taken of ASCII runs.
const latin1 = new TextDecoder('latin1');

/** What is kept for the update being decoded; dropped at the next microtask, so no update outlives its decoding here. */
interface UpdateCache {
  arr: Uint8Array;
  view: DataView;
  text: string | null;
}
let current: UpdateCache | null = null;

function cacheFor(arr: Uint8Array): UpdateCache {
  if (current?.arr !== arr) {
    if (current === null) queueMicrotask(() => (current = null));
    current = { arr, view: new DataView(arr.buffer, arr.byteOffset, arr.byteLength), text: null };
  }
  return current;
}

function readString(decoder: decoding.Decoder): string {
  const len = decoding.readVarUint(decoder);
  const arr = decoder.arr;
  const start = decoder.pos;
  const end = start + len;
  if (end > arr.length) throw new RangeError('a string runs past the end of the update');
  decoder.pos = end;
  if (arr.length >= SLICE_FROM_BYTES) {
    let i = start;
    while (i < end && arr[i]! < 0x80) i++;
    if (i === end) {
      const cache = cacheFor(arr);
      cache.text ??= latin1.decode(arr);
      return cache.text.slice(start, end);
    }
  }
  return utf8.decode(arr.subarray(start, end));
}

function readFloat64(decoder: decoding.Decoder): number {
  const value = cacheFor(decoder.arr).view.getFloat64(decoder.pos, false);
  decoder.pos += 8;
  return value;
}

/** lib0's `decoding.readAny`, case for case (type tags 127 down to 116). */
export function readAny(decoder: decoding.Decoder): unknown {
  const tag = decoding.readUint8(decoder);
  switch (tag) {
    case 127:
      return undefined;
    case 126:
      return null;
    case 125:
      return decoding.readVarInt(decoder);
    case 124:
      return decoding.readFloat32(decoder);
    case 123:
      return readFloat64(decoder);
    case 122:
      return decoding.readBigInt64(decoder);
    case 121:
      return false;
    case 120:
      return true;
    case 119:
      return readString(decoder);
    case 118: {
      const len = decoding.readVarUint(decoder);
      const object: Record<string, unknown> = {};
      for (let i = 0; i < len; i++) {
        const key = readString(decoder);
        object[key] = readAny(decoder);
      }
      return object;
    }
    case 117: {
      const len = decoding.readVarUint(decoder);
      const array: unknown[] = [];
      for (let i = 0; i < len; i++) array.push(readAny(decoder));
      return array;
    }
    case 116:
      return decoding.readVarUint8Array(decoder);
    default:
      throw new TypeError(`unknown value type ${String(tag)} in an update`);
  }
}

let installed = false;

/**
 * Makes Yjs read `ContentAny` values with `readAny` above, for every (version 1) update
 * decoded in this page from now on. Idempotent.
 */
export function installAnyReader(): void {
  if (installed) return;
  installed = true;
  Y.UpdateDecoderV1.prototype.readAny = function (this: Y.UpdateDecoderV1) {
    return readAny(this.restDecoder);
  };
}
