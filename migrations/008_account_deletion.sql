-- A deleted account stays as a row with no way in (no password, no sessions, a username
-- freed for others): its messages and receipts keep an author ("Deleted user"), and the
-- Yjs clientIDs bound to it stay bound, so nobody can take them over.
alter table users add column deleted_at timestamptz;
