-- The update log is only ever read and deleted by room, in id order: one index on
-- (room_id, id) serves both, and a second one on id alone cost every stored update
-- another index entry in the WAL (about 75 of 570 bytes per chat message). Nothing reads
-- created_at (updates are compacted into the snapshot, which keeps its own updated_at), and
-- its 8 bytes are written twice per message (heap and WAL).
alter table room_updates drop constraint room_updates_pkey;
drop index room_updates_room_id_id;
alter table room_updates add primary key (room_id, id);
alter table room_updates drop column created_at;
