-- A snapshot's state vector and deletions (a Yjs update with no structs), written with it at
-- compaction: a restarted server answers up-to-date clients from them without reading the
-- snapshot (sync-server/storage/stored-state.ts). `state_of` is the update_count they
-- describe; a snapshot written by an older Porch (NULL here, or a count that moved on) gets
-- them on its next load.
alter table room_snapshots
  add column state_vector bytea,
  add column delete_set bytea,
  add column state_of integer;
