// The embedded SQLite backend of Store: one writer thread with group commit (writer.h), pooled
// read connections (read_pool.h), the schema in migrations.cc. Method bodies are split by
// resource: sqlite_store.cc (state machines, activities, tags, meta), sqlite_executions.cc
// (transitions, executions, history, journal), sqlite_jobs.cc and sqlite_documents.cc.
#pragma once

#include <memory>
#include <string>

#include "store/dir_lock.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/writer.h"
#include "store/store.h"

namespace signoff::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Locks DIR, opens DIR/signoff.db and migrates it. DIR must exist.
  explicit SqliteStore(const std::string& dir);

  WriteStatus create_state_machine(const StateMachineRecord& sm) override;
  std::optional<StateMachineRecord> get_state_machine(std::string_view arn) override;
  WriteStatus update_state_machine(const StateMachineRecord& sm, int64_t expected_version,
                                   const StateMachineRevision& revision) override;
  WriteStatus delete_state_machine(std::string_view arn) override;
  Page<StateMachineRecord> list_state_machines(std::string_view after_key, size_t limit) override;
  std::optional<StateMachineRevision> get_revision(std::string_view state_machine_arn,
                                                   std::string_view revision_id) override;

  WriteStatus apply(const TransitionWrite& write) override;
  std::optional<ExecutionRecord> get_execution(std::string_view arn) override;
  Page<ExecutionRecord> list_executions(const ExecutionFilter& filter, std::string_view after_key,
                                        size_t limit) override;
  std::vector<ExecutionRecord> running_executions() override;
  std::vector<HistoryEventRecord> history(std::string_view execution_arn, bool reverse,
                                          int64_t after_or_before_id, size_t limit) override;
  std::vector<JournalRecord> journal(std::string_view execution_arn) override;

  std::vector<JobRecord> jobs_by_owner(std::string_view owner) override;
  std::vector<JobRecord> jobs_by_kind(std::string_view kind) override;
  std::optional<JobRecord> get_job(std::string_view id) override;
  void put_job(const JobRecord& job) override;
  WriteStatus delete_job(std::string_view id) override;
  WriteStatus claim_job(std::string_view id, std::string_view by) override;

  WriteStatus create_activity(const ActivityRecord& a) override;
  std::optional<ActivityRecord> get_activity(std::string_view arn) override;
  WriteStatus delete_activity(std::string_view arn) override;
  Page<ActivityRecord> list_activities(std::string_view after_key, size_t limit) override;

  void set_tags(std::string_view arn, const std::vector<Tag>& tags) override;
  void remove_tags(std::string_view arn, const std::vector<std::string>& keys) override;
  std::vector<Tag> tags(std::string_view arn) override;

  WriteStatus apply_documents(const DocumentBatch& batch) override;
  std::optional<DocumentRecord> get_document(std::string_view kind, std::string_view key) override;
  Page<DocumentRecord> list_documents(std::string_view kind, std::string_view key_prefix,
                                      std::string_view after_key, size_t limit) override;
  std::vector<DocumentRecord> documents_by_index(std::string_view kind,
                                                 std::string_view index) override;
  std::vector<JobRecord> due_jobs(std::string_view kind, int64_t before_ms, size_t limit) override;

  std::optional<std::string> get_meta(std::string_view key) override;
  std::string put_meta_if_absent(std::string_view key, std::string_view value) override;

 private:
  // Declaration order is teardown order reversed: the writer drains and closes first, then the
  // readers, and the directory lock goes last.
  DirLock lock_;
  std::string path_;
  ReadPool readers_;
  Writer writer_;
};

// Shared by the job methods, apply() and apply_documents().
void upsert_job(Db& db, const JobRecord& job);

}  // namespace signoff::store::sqlite
