-- Issue 14: a snapshot keeps its notable sockets as groups (exact counts and queue totals per namespace, port,
-- direction, state and owner) plus a bounded sample of each group in sockets_gz, instead of every socket.
-- socket_count stays the number of notable sockets. Snapshots stored before keep every socket and no groups:
-- Linger groups them when it reads them.
ALTER TABLE snapshot ADD COLUMN groups jsonb;
