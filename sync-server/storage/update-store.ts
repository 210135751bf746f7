import type { StoredState } from './stored-state';

/** A Yjs clientID bound to the user who first wrote with it in a room (SPEC 7.1). */
export interface ClientBinding {
  clientId: number;
  userId: string;
}

/**
 * Durable storage of a room's Yjs updates. Two implementations (Postgres, memory) run
 * through one shared test suite.
 */
export interface UpdateStore {
  /** Every stored update of the room, snapshot first, in the order they were stored. */
  load(roomId: string): Promise<Uint8Array[]>;
  /**
   * What `load` would return adds up to (state vector and deletions), read without the
   * snapshot's content: it is kept with the snapshot.
   */
  loadState(roomId: string): Promise<StoredState>;
  /** The room's clientID bindings: clientID -> user id. */
  loadClients(roomId: string): Promise<Map<number, string>>;
  /**
   * Appends an update, and with it the bindings of the clientIDs it introduces: both are
   * stored, or neither. A clientID that is bound already keeps its first user. Resolves
   * once durable, rejects if it could not be stored. Appends resolve in the order they
   * were made.
   */
  append(roomId: string, update: Uint8Array, bindings?: readonly ClientBinding[]): Promise<void>;
  /** Resolves once every append made before the call has settled. */
  flush(): Promise<void>;
  /**
   * Merges the room's log into its snapshot; returns false when another instance holds
   * the room's compaction lock.
   */
  compact(roomId: string): Promise<boolean>;
  /** Updates and bytes in the log since the last compaction. */
  logSize(roomId: string): Promise<{ count: number; bytes: number }>;
}
