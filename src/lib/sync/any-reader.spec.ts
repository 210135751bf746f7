import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '$lib/chat/messages';
import { installAnyReader, readAny } from './any-reader';

/** Values as lib0 writes them: every type `writeAny` knows, nested, with any text. */
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme-ascii' }),
    fc.uint8Array(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 4 })
  )
})).value;

function encodeAll(values: unknown[], padding: number): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const value of values) encoding.writeAny(encoder, value as never);
  // Padding after the values makes the update large enough for the sliced strings.
  encoding.writeUint8Array(encoder, new Uint8Array(padding));
  return encoding.toUint8Array(encoder);
}

function readAll(bytes: Uint8Array, count: number, read: (d: decoding.Decoder) => unknown): unknown[] {
  const decoder = decoding.createDecoder(bytes);
  return Array.from({ length: count }, () => read(decoder));
}

describe('readAny', () => {
  it('reads what lib0 reads, in small updates and in large ones', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 8 }), fc.constantFrom(0, 5000), (values, padding) => {
        const bytes = encodeAll(values, padding);
        expect(readAll(bytes, values.length, readAny)).toEqual(readAll(bytes, values.length, decoding.readAny));
      }),
      { numRuns: 500 }
    );
  });

  it('refuses a string that is not UTF-8, as lib0 does', () => {
    const encoder = encoding.createEncoder();
    encoding.writeUint8(encoder, 119);
    encoding.writeVarUint8Array(encoder, new Uint8Array([0x61, 0xff, 0x62]));
    const bytes = encoding.toUint8Array(encoder);
    expect(() => decoding.readAny(decoding.createDecoder(bytes))).toThrow();
    expect(() => readAny(decoding.createDecoder(bytes))).toThrow();
  });

  it('refuses a string longer than the update', () => {
    const encoder = encoding.createEncoder();
    encoding.writeUint8(encoder, 119);
    encoding.writeVarUint(encoder, 10);
    encoding.writeUint8Array(encoder, new Uint8Array([0x61]));
    expect(() => readAny(decoding.createDecoder(encoding.toUint8Array(encoder)))).toThrow(RangeError);
  });
});

describe('installAnyReader', () => {
  it('loads a room with the same messages as Yjs alone', () => {
    const source = new Y.Doc();
    for (let i = 0; i < 200; i++) sendMessage(source, { author: `user-${i % 7}`, text: i % 3 ? `message ${i}` : `grüße ✓ ${i}`, ts: Date.UTC(2026, 0, 1) + i, id: `m${i}` });
    const update = Y.encodeStateAsUpdate(source);
    installAnyReader();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, update);
    expect(listMessages(loaded)).toEqual(listMessages(source));
    expect(update.length).toBeGreaterThan(4096);
  });
});
