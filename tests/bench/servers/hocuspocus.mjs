// Hocuspocus in memory (no extensions, no persistence) for the side-by-side benchmarks.
// Run with PORT and HOST; answers any HTTP GET (e.g. /healthz) with 200.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT ?? 1234), address: process.env.HOST ?? '127.0.0.1', quiet: true });
await server.listen();
