-- Web Push: the server's VAPID key pair, each device's subscription, per-room mute settings.

-- Generated once at first start; kept in the database (not a file) so every instance of
-- the sync server signs with the same key and subscriptions survive a redeploy.
create table server_keys (
  name        text primary key,
  public_key  text not null,
  private_key text not null,
  created_at  timestamptz not null default now()
);

-- One row per device (browser profile). The endpoint is unique: subscribing the same
-- endpoint again (another account on the same browser) moves it to that user.
create table push_subscriptions (
  endpoint   text primary key,
  user_id    text not null references users (id) on delete cascade,
  p256dh     text not null,
  auth       text not null,
  expires_at timestamptz,
  created_at timestamptz not null default now()
);
create index push_subscriptions_user_id on push_subscriptions (user_id);

-- No row means the defaults: not muted, mentions on.
create table room_notification_settings (
  room_id  text not null references rooms (id) on delete cascade,
  user_id  text not null references users (id) on delete cascade,
  muted    boolean not null default false,
  mentions boolean not null default true,
  primary key (room_id, user_id)
);
