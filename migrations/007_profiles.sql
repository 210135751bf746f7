-- Profiles: a display name beside the username, and an avatar image the browser cropped
-- and resized (at most 256 px). `version` grows with each new image, so a URL with it can
-- be cached for good.
alter table users add column display_name text;

create table avatars (
  user_id      text primary key references users (id) on delete cascade,
  data         bytea not null,
  content_type text not null,
  version      integer not null default 1,
  updated_at   timestamptz not null default now()
);
