// The SQLite schema as versioned, append-only migrations.
#pragma once

namespace signoff::store::sqlite {

class Db;

// Brings the database to the newest schema version, each pending migration in one transaction
// with its row in schema_version. Throws StoreError when a migration fails or when the database
// was written by a newer binary (a schema this one does not know).
void migrate(Db& db);

}  // namespace signoff::store::sqlite
