-- The server records room events (who added whom, who left) in the room document itself,
-- with clientIDs of its own: bound here with no user (SERVER_WRITER_ID in the code), so no
-- user can take them over.
alter table doc_clients alter column user_id drop not null;
