-- Accounts, sessions, rooms and the durable Yjs log.
create table users (
  id            text primary key,
  username      text not null,
  password_hash text not null,
  created_at    timestamptz not null default now()
);
-- Usernames are unique regardless of case: "Ana" and "ana" are one person.
create unique index users_username_lower on users (lower(username));

create table sessions (
  id          text primary key,
  user_id     text not null references users (id) on delete cascade,
  secret_hash bytea not null,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null
);
create index sessions_user_id on sessions (user_id);

create table rooms (
  id         text primary key,
  name       text not null,
  topic      text,
  kind       text not null default 'group' check (kind in ('group', 'dm')),
  -- For direct messages: the two user ids, sorted and joined, so one pair has one room.
  dm_key     text unique,
  created_by text references users (id) on delete set null,
  created_at timestamptz not null default now()
);

create table room_members (
  room_id   text not null references rooms (id) on delete cascade,
  user_id   text not null references users (id) on delete cascade,
  role      text not null check (role in ('owner', 'admin', 'member')),
  joined_at timestamptz not null default now(),
  primary key (room_id, user_id)
);
create index room_members_user_id on room_members (user_id);

-- Append-only log of accepted Yjs updates; compacted into room_snapshots.
create table room_updates (
  id         bigserial primary key,
  room_id    text not null references rooms (id) on delete cascade,
  data       bytea not null,
  created_at timestamptz not null default now()
);
create index room_updates_room_id_id on room_updates (room_id, id);

create table room_snapshots (
  room_id        text primary key references rooms (id) on delete cascade,
  data           bytea not null,
  update_count   integer not null default 0,
  updated_at     timestamptz not null default now()
);

-- Yjs clientIDs are bound to the first user who writes with them, per room.
create table doc_clients (
  room_id   text not null references rooms (id) on delete cascade,
  client_id bigint not null,
  user_id   text not null references users (id) on delete cascade,
  primary key (room_id, client_id)
);
