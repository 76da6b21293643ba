// The one storage interface. Nothing above src/store/ knows which database holds the data: the
// embedded SQLite backend (WAL) is the default, a PostgreSQL backend follows, and one contract test
// suite (tests/store/) runs against every backend.
//
// Rows are plain structs; JSON payloads travel as JSON text (the store never parses them). Times
// are milliseconds since the Unix epoch. Expected outcomes (not found, already exists, a version
// that moved) are values; a failing database (disk full, I/O error, corruption) throws
// store::StoreError, which the API edge turns into a 500 and the server survives.
//
// Durability: every write method returns only after its transaction is committed and synced.
// Writes arriving from many threads at once share one transaction (group commit): the backend
// runs each write as its own savepoint inside the shared transaction, so one write failing its
// condition rolls back alone and the others still commit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The outcome of a conditional write.
enum class WriteStatus : uint8_t {
  Ok,
  NotFound,         // the row to update/delete does not exist
  AlreadyExists,    // a unique key (ARN, or name within its parent) is taken
  ConditionFailed,  // expected_version did not match the stored version
};

// A page of rows and the key to continue from (empty when this was the last page).
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_key;
};

// ---------------------------------------------------------------------------------------------
// Step Functions rows

struct StateMachineRecord {
  std::string arn;
  std::string name;
  std::string type = "STANDARD";  // STANDARD | EXPRESS
  std::string status = "ACTIVE";  // ACTIVE | DELETING
  std::string definition;         // ASL JSON text, as given
  std::string role_arn;
  std::string description;
  std::string logging_configuration;  // JSON text, "" when absent
  std::string tracing_configuration;  // JSON text, "" when absent
  std::string revision_id;            // changes with every update
  int64_t creation_date_ms = 0;
  int64_t update_date_ms = 0;  // 0: never updated
  int64_t version = 0;         // optimistic concurrency for updates; starts at 1
};

// One immutable revision of a state machine; executions refer to the revision they started on
// (DescribeStateMachineForExecution returns it even after later updates).
struct StateMachineRevision {
  std::string state_machine_arn;
  std::string revision_id;
  std::string definition;
  std::string role_arn;
  std::string logging_configuration;
  std::string tracing_configuration;
  int64_t update_date_ms = 0;
};

struct ExecutionRecord {
  std::string arn;
  std::string state_machine_arn;
  std::string revision_id;  // the StateMachineRevision it runs
  std::string name;
  std::string status = "RUNNING";  // RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  std::string input;               // JSON text
  std::string output;              // JSON text, "" until it succeeded
  std::string error;
  std::string cause;
  int64_t start_date_ms = 0;
  int64_t stop_date_ms = 0;  // 0 while running
  int64_t last_event_id = 0;
  int64_t version = 0;  // bumps with every transition; starts at 1
  // Opaque to the store: who must hear of this execution's end (a parent execution's
  // states:startExecution.sync task), as JSON text, "" for nobody.
  std::string parent;
  std::string trace_header;
};

struct HistoryEventRecord {
  int64_t id = 0;
  int64_t timestamp_ms = 0;
  std::string type;
  // The whole event as GetExecutionHistory returns it with includeExecutionData=true, JSON text.
  std::string json;
};

// One input the interpreter consumed (start, task result, timer, stop, ...), so an execution's
// in-memory state is rebuilt on start by replaying them in seq order.
struct JournalRecord {
  int64_t seq = 0;
  std::string json;
};

// A durable side effect, carried out after the transition that created it commits: a timer, a
// task to run, an activity task waiting for a worker, a delivery, a mail. The id is chosen by the
// creator and doubles as the idempotency key. Jobs are deleted in the transition that consumes
// them; whatever is left on start is what recovery re-arms.
struct JobRecord {
  std::string id;
  std::string kind;     // "timer", "task", "activity", ... (owned by the service)
  std::string owner;    // e.g. the execution ARN; jobs can be listed by owner
  int64_t due_ms = 0;   // when it should run (0: now)
  std::string payload;  // JSON text, opaque to the store
  int64_t attempts = 0;
  std::string claimed_by;  // "" unclaimed; set by claim_job (activity workers, runners)
};

// One transition of one execution, written atomically: the execution row (inserted, or updated
// under a version check), its new history events, the journal entry, jobs created and jobs
// consumed. This is the transactional outbox: side effects exist only as committed jobs.
struct TransitionWrite {
  // Insert a new execution (StartExecution) when set; then expected_version is ignored.
  std::optional<ExecutionRecord> insert;
  // Otherwise update the row with this ARN if its version equals expected_version; the row's
  // status, output, error, cause, stop_date_ms, last_event_id and version are replaced by
  // `update`'s.
  std::string execution_arn;
  int64_t expected_version = 0;
  ExecutionRecord update;

  std::vector<HistoryEventRecord> events;
  std::optional<JournalRecord> journal;
  std::vector<JobRecord> jobs_to_put;  // inserted or replaced by id
  std::vector<std::string> jobs_to_delete;
};

struct ActivityRecord {
  std::string arn;
  std::string name;
  int64_t creation_date_ms = 0;
};

struct Tag {
  std::string key;
  std::string value;
};

// A service's resource as a JSON document (IAM users and roles, SSM documents and automation
// executions, EventBridge buses and rules, SNS topics, Lambda functions, ...). Services own the
// document's shape; the store keeps it keyed, versioned and optionally indexed by one secondary
// key, so a new service needs no new tables and every backend stays one contract.
struct DocumentRecord {
  std::string kind;        // namespaced by service: "iam.user", "ssm.document", "events.rule", ...
  std::string key;         // unique within kind (a name, an ARN, "bus/rule", ...)
  std::string json;        // the document, JSON text
  std::string index;       // a secondary key for documents_by_index ("" for none)
  int64_t version = 0;     // set by the store: 1 on insert, +1 on every replace
  int64_t created_ms = 0;  // set by the caller on insert; kept on replace
  int64_t updated_ms = 0;
};

// Expected-version values for document writes.
inline constexpr int64_t kMustNotExist = 0;  // insert; AlreadyExists when the key is taken
inline constexpr int64_t kAnyVersion = -1;   // insert or replace / delete whatever is there

struct DocumentWrite {
  enum class Op : uint8_t { Put, Delete };
  Op op = Op::Put;
  DocumentRecord doc;                      // for Delete only kind and key are read
  int64_t expected_version = kAnyVersion;  // or kMustNotExist, or the version read earlier
  // (A Delete with kMustNotExist deletes nothing: Ok when the key is free, AlreadyExists if not.)
};

// Document writes and jobs committed together, all or nothing: the first write whose condition
// fails (AlreadyExists, NotFound for a Delete/replace of a missing key with a positive expected
// version, ConditionFailed) rolls the whole batch back and is the result.
struct DocumentBatch {
  std::vector<DocumentWrite> writes;
  std::vector<JobRecord> jobs_to_put;
  std::vector<std::string> jobs_to_delete;
};

struct ExecutionFilter {
  std::string state_machine_arn;  // required
  std::string status;             // "" for any
};

// ---------------------------------------------------------------------------------------------

class Store {
 public:
  virtual ~Store() = default;

  // State machines. create fails with AlreadyExists when the ARN is taken; it also stores the
  // first revision.
  virtual WriteStatus create_state_machine(const StateMachineRecord& sm) = 0;
  virtual std::optional<StateMachineRecord> get_state_machine(std::string_view arn) = 0;
  // Replaces the row when its version equals expected_version (NotFound / ConditionFailed
  // otherwise) and stores `revision` as a new revision.
  virtual WriteStatus update_state_machine(const StateMachineRecord& sm, int64_t expected_version,
                                           const StateMachineRevision& revision) = 0;
  // Deletes the machine row, its tags and its revisions that no execution refers to; executions
  // and their histories stay (AWS keeps them readable until they age out).
  virtual WriteStatus delete_state_machine(std::string_view arn) = 0;
  // Ordered by name (then ARN); after_key is a previous page's next_key.
  virtual Page<StateMachineRecord> list_state_machines(std::string_view after_key,
                                                       size_t limit) = 0;
  virtual std::optional<StateMachineRevision> get_revision(std::string_view state_machine_arn,
                                                           std::string_view revision_id) = 0;

  // Executions and their histories.
  // Applies one transition atomically. Many threads may call this at once; the backend groups
  // concurrent calls into one database transaction (each call its own savepoint).
  virtual WriteStatus apply(const TransitionWrite& write) = 0;
  virtual std::optional<ExecutionRecord> get_execution(std::string_view arn) = 0;
  // Newest first (start date descending, then ARN descending).
  virtual Page<ExecutionRecord> list_executions(const ExecutionFilter& filter,
                                                std::string_view after_key, size_t limit) = 0;
  // Every execution whose status is RUNNING (recovery on start).
  virtual std::vector<ExecutionRecord> running_executions() = 0;
  // Events with id > after_id in ascending order, or with id < before_id in descending order
  // when reverse (before_id 0 means from the end). At most limit.
  virtual std::vector<HistoryEventRecord> history(std::string_view execution_arn, bool reverse,
                                                  int64_t after_or_before_id, size_t limit) = 0;
  virtual std::vector<JournalRecord> journal(std::string_view execution_arn) = 0;

  // Jobs.
  virtual std::vector<JobRecord> jobs_by_owner(std::string_view owner) = 0;
  virtual std::vector<JobRecord> jobs_by_kind(std::string_view kind) = 0;
  virtual std::optional<JobRecord> get_job(std::string_view id) = 0;
  // Outside a transition (e.g. services without executions): put / delete one job.
  virtual void put_job(const JobRecord& job) = 0;
  virtual WriteStatus delete_job(std::string_view id) = 0;
  // Sets claimed_by when the job is unclaimed (or claimed by `by` already); NotFound /
  // ConditionFailed otherwise. Bumps attempts.
  virtual WriteStatus claim_job(std::string_view id, std::string_view by) = 0;

  // Activities.
  virtual WriteStatus create_activity(const ActivityRecord& a) = 0;
  virtual std::optional<ActivityRecord> get_activity(std::string_view arn) = 0;
  virtual WriteStatus delete_activity(std::string_view arn) = 0;
  virtual Page<ActivityRecord> list_activities(std::string_view after_key, size_t limit) = 0;

  // Tags on any resource ARN. set_tags adds or replaces by key.
  virtual void set_tags(std::string_view arn, const std::vector<Tag>& tags) = 0;
  virtual void remove_tags(std::string_view arn, const std::vector<std::string>& keys) = 0;
  virtual std::vector<Tag> tags(std::string_view arn) = 0;

  // Documents.
  virtual WriteStatus apply_documents(const DocumentBatch& batch) = 0;
  virtual std::optional<DocumentRecord> get_document(std::string_view kind,
                                                     std::string_view key) = 0;
  // Ordered by key; only keys starting with key_prefix ("" for all).
  virtual Page<DocumentRecord> list_documents(std::string_view kind, std::string_view key_prefix,
                                              std::string_view after_key, size_t limit) = 0;
  // Every document of this kind whose index equals `index`, ordered by key (none for "").
  virtual std::vector<DocumentRecord> documents_by_index(std::string_view kind,
                                                         std::string_view index) = 0;
  // Every job whose due_ms <= before_ms and kind matches, oldest first, at most limit (job
  // runners of services that poll rather than keep timers). limit 0: no limit.
  virtual std::vector<JobRecord> due_jobs(std::string_view kind, int64_t before_ms,
                                          size_t limit) = 0;

  // Small settings and secrets of the server itself (e.g. the task-token key).
  virtual std::optional<std::string> get_meta(std::string_view key) = 0;
  // Stores value under key unless the key exists; returns the value now stored (so concurrent
  // first starts agree on one).
  virtual std::string put_meta_if_absent(std::string_view key, std::string_view value) = 0;
};

using StorePtr = std::unique_ptr<Store>;

// Opens (creating when missing) the SQLite store in DIR/signoff.db: WAL, synchronous=FULL,
// migrations applied. Throws StoreError when the file cannot be opened or migrated.
StorePtr open_sqlite_store(const std::string& dir);

}  // namespace signoff::store
