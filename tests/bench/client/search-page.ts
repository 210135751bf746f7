/**
 * Runs in Chromium (bundled by esbuild, see search.ts): rooms of chat-like messages, indexed
 * the way the app indexes them (`RoomIndexer` over each room's Y.Doc, in slices), then
 * queries typed one keystroke at a time through the app's `findMessages` (index lookup,
 * newest 50, snippets), each keystroke timed.
 */
import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';
import { findMessages } from '../../../src/lib/search/found-messages';
import { MessageIndex } from '../../../src/lib/search/message-index';
import { pageTurn, RoomIndexer } from '../../../src/lib/search/room-indexer';
import { seededRandom } from '../../helpers/seeded-random';

/** Frequent words first: chat text is mostly these (Zipf-like draws below). */
const COMMON = (
  'the to i you a and is it that of in for on me we my be have are this just so do at with can ' +
  'what not no yes but was will all get if ok about up out like know there now good think how ' +
  'see when one go going time today tomorrow meeting lunch dinner coffee café weekend monday friday ' +
  'call later thanks sorry sure great maybe work home back week morning night train station office ' +
  'project plan review deploy release bug fix test build server client design doc notes idea price ' +
  'ticket order delivery photo video link file share send check meet talk soon ready done late early'
).split(' ');

const SYLLABLES = 'ka lo mi ne ru sa ti vo be da fe gu hi jo ku la mo na pe qui ra se to vu wa xe yo zu an el in or um ber cor dan fel gor'.split(' ');

/** A vocabulary of common words and a long tail of rarer ones (names, places, jargon). */
function vocabulary(random: () => number, tail: number): string[] {
  const words = new Set(COMMON);
  while (words.size < COMMON.length + tail) {
    const n = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

function messageText(random: () => number, words: string[]): string {
  const length = 3 + Math.floor(random() * 15);
  const out: string[] = [];
  // Zipf-like: index ~ words.length ^ u, so low indexes (common words) come up most.
  for (let i = 0; i < length; i++) out.push(words[Math.min(words.length - 1, Math.floor(Math.pow(words.length, random())) - 1)]!);
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + (random() < 0.3 ? '?' : '.');
}

let docs: { roomId: string; doc: Y.Doc }[] = [];
let index: MessageIndex | null = null;
let vocab: string[] = [];

/** `count` messages over `rooms` rooms, 20 members, through the app's `sendMessage`. */
function fill(count: number, rooms: number): { messages: number; distinctWords: number } {
  const random = seededRandom(count);
  vocab = vocabulary(random, 20_000);
  docs = Array.from({ length: rooms }, (_, r) => ({ roomId: `room-${r}`, doc: new Y.Doc() }));
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const { doc } = docs[i % rooms]!;
    sendMessage(doc, { author: `user-${i % 20}`, text: messageText(random, vocab), ts: start + i * 60_000, id: `m${i}` });
  }
  return { messages: count, distinctWords: vocab.length };
}

/** Indexes every room as the app does (RoomIndexer, slices of 8 ms, then sortPending); wall time. */
async function build(): Promise<{ ms: number; indexed: number }> {
  const t0 = performance.now();
  index = new MessageIndex();
  for (const { roomId, doc } of docs) {
    const indexer = new RoomIndexer(index, roomId, doc);
    await indexer.ready;
  }
  // As MessageSearch does once every room is read.
  while (!index.sortPending(8)) await pageTurn();
  return { ms: performance.now() - t0, indexed: index.size };
}

/**
 * Types each query one character at a time; per keystroke, the time of one `findMessages`
 * (what the search field runs on each input). Returns every keystroke's ms.
 */
function type(queries: string[]): { ms: number[]; hits: number[] } {
  if (!index) throw new Error('build first');
  const rooms = docs.map(({ roomId }) => ({ id: roomId, name: roomId, topic: null, kind: 'group' as const, createdAt: new Date(0).toISOString(), role: 'member' as const, memberCount: 20 }));
  const names = { me: 'user-0', members: () => [] };
  const ms: number[] = [];
  const hits: number[] = [];
  for (const query of queries) {
    for (let k = 1; k <= query.length; k++) {
      const typed = query.slice(0, k);
      const t0 = performance.now();
      const found = findMessages(index, typed, rooms, { limit: 50, names });
      ms.push(performance.now() - t0);
      hits.push(found.total);
    }
  }
  return { ms, hits };
}

/** Queries a user might type: common words, rare words from the tail, two words, no match. */
function queries(): string[] {
  const random = seededRandom(7);
  const rare = Array.from({ length: 6 }, () => vocab[COMMON.length + Math.floor(random() * (vocab.length - COMMON.length))]!);
  return ['meeting', 'tomorrow', 'the', 'coffee', 'cafe', 'deploy release', 'lunch tomorrow', 'thanks', 'station', 'qqqzzz', ...rare, `${rare[0]} ${rare[1]}`];
}

declare global {
  interface Window {
    porchSearch: { fill: typeof fill; build: typeof build; type: typeof type; queries: typeof queries };
  }
}
window.porchSearch = { fill, build, type, queries };
