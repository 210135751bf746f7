/**
 * Durable storage of a room's Yjs updates. Two implementations (Postgres, memory) run
 * through one shared test suite.
 */
export interface UpdateStore {
  /** Every stored update of the room, snapshot first, in the order they were stored. */
  load(roomId: string): Promise<Uint8Array[]>;
  /**
   * Appends an update; resolves once it is durable, rejects if it could not be stored.
   * Appends resolve in the order they were made.
   */
  append(roomId: string, update: Uint8Array): Promise<void>;
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
