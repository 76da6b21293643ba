// SQLite only: a database written by an older binary is brought to the newest schema on open.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "store/store.h"

namespace signoff::store {
namespace {

class SqliteMigrations : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/signoff-migrate-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Runs `sql` on the store's file with a plain connection (no store open).
  void exec(const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/signoff.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::string dir_;
};

// Migration 2 (documents) applied to a database that stopped at migration 1, as the previous
// release left it: its rows stay, and documents work afterwards.
TEST_F(SqliteMigrations, SchemaOneGainsDocuments) {
  {
    StorePtr s = open_sqlite_store(dir_);
    ASSERT_EQ(s->create_activity(ActivityRecord{"arn:act", "act", 5}), WriteStatus::Ok);
  }
  exec(
      "BEGIN; DROP INDEX documents_by_index; DROP TABLE documents;"
      " DELETE FROM schema_version WHERE version >= 2; COMMIT;");
  StorePtr s = open_sqlite_store(dir_);
  EXPECT_EQ(s->get_activity("arn:act")->name, "act");
  DocumentBatch b;
  b.writes.push_back(DocumentWrite{DocumentWrite::Op::Put,
                                   DocumentRecord{"k", "a", "{}", "i", 0, 1, 1}, kMustNotExist});
  ASSERT_EQ(s->apply_documents(b), WriteStatus::Ok);
  EXPECT_EQ(s->get_document("k", "a")->version, 1);
  EXPECT_EQ(s->documents_by_index("k", "i").size(), 1u);
}

TEST_F(SqliteMigrations, ASchemaFromANewerBinaryIsRefused) {
  { open_sqlite_store(dir_); }
  exec("INSERT INTO schema_version (version, applied_ms) VALUES (1000, 0)");
  try {
    open_sqlite_store(dir_);
    FAIL() << "opened a database of schema version 1000";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this binary"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace signoff::store
