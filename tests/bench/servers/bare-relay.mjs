// The floor for the fan-out benchmark: no document, no checks, no storage. Each y-websocket
// update frame is framed once as a WebSocket message and the same bytes are written to
// every other socket of its room. Run with PORT and HOST; answers any HTTP GET with 200.
import { createServer } from 'node:http';
import { Sender, WebSocketServer } from 'ws';

const rooms = new Map();
const EMPTY_STEP_2 = new Uint8Array([0, 1, 2, 0, 0]);
const http = createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (socket, req) => {
  const name = req.url ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(socket);
  socket.on('close', () => room.delete(socket));
  socket.on('message', (data) => {
    // Sync step 1 gets an empty step 2 (so clients count as synced); [0 sync, 2 update, ...]
    // is relayed; anything else (awareness) is ignored.
    if (data[0] === 0 && data[1] === 0) return socket.send(EMPTY_STEP_2);
    if (data[0] !== 0 || data[1] !== 2) return;
    const parts = Sender.frame(data, { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false });
    const frame = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    for (const other of room) if (other !== socket && other.readyState === 1) other._sender.sendFrame([frame]);
  });
});
http.listen(Number(process.env.PORT ?? 1234), process.env.HOST ?? '127.0.0.1');
