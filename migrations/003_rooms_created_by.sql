-- MAX_ROOMS_PER_USER counts the rooms a user created at every room creation.
create index rooms_created_by on rooms (created_by);
