/**
 * Stored assistants (`POST /assistants`) and their versions. `assistants` holds each assistant's
 * latest version (what reads and runs see); `assistant_versions` every version, one row per PATCH.
 * System assistants (one per graph) are not stored: the server makes them from its graphs at boot.
 */
export const name = "0004_assistants";

export const up = /* sql */ `
CREATE TABLE assistants (
  assistant_id  TEXT PRIMARY KEY,
  graph_id      TEXT NOT NULL,
  name          TEXT NOT NULL,
  description   TEXT,
  config        TEXT NOT NULL DEFAULT '{}',
  context       TEXT NOT NULL DEFAULT '{}',
  metadata      TEXT NOT NULL DEFAULT '{}',
  version       INTEGER NOT NULL,
  owner_id      TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX ix_assistants_owner_created ON assistants (owner_id, created_at);
CREATE INDEX ix_assistants_graph ON assistants (graph_id);

CREATE TABLE assistant_versions (
  assistant_id  TEXT NOT NULL REFERENCES assistants (assistant_id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  graph_id      TEXT NOT NULL,
  name          TEXT NOT NULL,
  description   TEXT,
  config        TEXT NOT NULL DEFAULT '{}',
  context       TEXT NOT NULL DEFAULT '{}',
  metadata      TEXT NOT NULL DEFAULT '{}',
  created_at    TEXT NOT NULL,
  PRIMARY KEY (assistant_id, version)
) WITHOUT ROWID;
`;
