-- Reliability (issue 15).
-- A file source's position names the file by the checksum of its first bytes
-- too (FilePosition.fingerprint: length << 32 | CRC-32C): after copytruncate the
-- inode is the same but these bytes are not, and the copy is the file whose
-- first bytes they are.
ALTER TABLE collector.log_positions ADD COLUMN IF NOT EXISTS fingerprint BIGINT;

-- How far each host's disk spool (<state_dir>/spool) has been replayed: the
-- segment file and the offset after its last replayed record, committed in the
-- same transaction as that record's rows, so a replay cut short (SIGKILL, lost
-- connection) resumes after the last committed record and writes nothing twice.
CREATE TABLE IF NOT EXISTS collector.spool_positions (
  host          TEXT PRIMARY KEY,
  segment       TEXT NOT NULL,
  byte_offset   BIGINT NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
