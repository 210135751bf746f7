/**
 * A binary WebSocket message with its frame header, built once for every socket it goes
 * to. `ws.send` frames per call and hands the kernel header and payload as two buffers
 * (one writev per socket); a room's broadcast writes the same bytes to many sockets, and
 * those per-socket writes are most of a busy server's CPU (see docs/benchmarks.md).
 */
export type Framed = Buffer & { readonly __framed: true };

/** RFC 6455 §5.2: FIN + binary opcode, unmasked (server to client), 7/16/64-bit length. */
export function frameBinary(data: Uint8Array): Framed {
  const length = data.byteLength;
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x82;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(data, headerBytes);
  return frame as Framed;
}
