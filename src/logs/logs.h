// CloudWatch Logs, the subset Lambda output needs: log groups, streams and events as store
// documents. Events are written in chunks (one document per flush per stream), not one row per
// line: a function printing a few lines per invocation would otherwise cost a commit per line.
// Appends are buffered and flushed by a background thread every flush_ms; every read flushes
// first, so a reader always sees what was appended before it asked.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/store.h"

namespace signoff::logs {

struct LogsOptions {
  std::string account = "000000000000";
  int flush_ms = 200;
};

struct InputEvent {
  int64_t timestamp = 0;
  std::string message;
};

struct GetEventsRequest {
  std::string region, group, stream;
  std::optional<int64_t> start_time, end_time;
  bool start_from_head = false;
  size_t limit = 10000;
  std::string next_token;
};

struct FilterRequest {
  std::string region, group;
  std::vector<std::string> stream_names;
  std::string stream_prefix;
  std::optional<int64_t> start_time, end_time;
  std::string filter_pattern;
  size_t limit = 10000;
  std::string next_token;
};

struct ListRequest {
  std::string region;
  std::string group;  // streams only
  std::string prefix;
  std::string next_token;
  size_t limit = 50;
  bool order_by_last_event = false;
  bool descending = false;
};

class LogsService {
 public:
  LogsService(store::Store& store, const Clock& clock, LogsOptions options);
  ~LogsService();
  LogsService(const LogsService&) = delete;
  LogsService& operator=(const LogsService&) = delete;

  void start();
  void stop();  // flushes

  Result<Unit> create_log_group(const std::string& region, const std::string& name);
  Result<Unit> delete_log_group(const std::string& region, const std::string& name);
  Result<json::Value> describe_log_groups(const ListRequest& r);
  // PutRetentionPolicy (days) and DeleteRetentionPolicy (nullopt): recorded and described;
  // Signoff keeps every event regardless.
  Result<Unit> set_retention(const std::string& region, const std::string& name,
                             std::optional<int> days);
  Result<Unit> create_log_stream(const std::string& region, const std::string& group,
                                 const std::string& stream);
  Result<json::Value> describe_log_streams(const ListRequest& r);
  Result<json::Value> put_log_events(const std::string& region, const std::string& group,
                                     const std::string& stream, std::vector<InputEvent> events);
  Result<json::Value> get_log_events(const GetEventsRequest& r);
  Result<json::Value> filter_log_events(const FilterRequest& r);

  // For services writing their own logs (Lambda): creates what is missing, never fails on
  // existence, and buffers.
  void ensure_stream(const std::string& region, const std::string& group,
                     const std::string& stream);
  void append(const std::string& region, const std::string& group, const std::string& stream,
              std::vector<InputEvent> events);
  void flush();

 private:
  struct Event {
    int64_t timestamp = 0;
    int64_t ingestion = 0;
    std::string message;
  };
  struct Stream {
    std::string key;
    json::Value meta;  // creationTime, firstEventTimestamp, lastEventTimestamp, ...
    int64_t chunks = 0;
    std::vector<Event> pending;
  };
  std::string group_key(const std::string& region, const std::string& group) const;
  bool group_exists(const std::string& region, const std::string& group);
  Stream* load_stream_locked(const std::string& key);
  std::vector<std::pair<std::string, std::vector<Event>>> read_streams(
      const std::string& region, const std::string& group, const std::vector<std::string>& names,
      const std::string& prefix);
  std::vector<Event> read_events(const std::string& stream_key);
  void flusher();

  store::Store& store_;
  const Clock& clock_;
  LogsOptions options_;
  std::mutex mu_;
  std::mutex flush_mu_;  // one flush at a time, so chunks are numbered in order
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, Stream> streams_;  // loaded streams by key
  std::thread thread_;
};

}  // namespace signoff::logs
