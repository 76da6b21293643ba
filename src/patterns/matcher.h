// EventBridge event-pattern matching.
//
// A Matcher holds the rules of one event bus compiled into a single automaton: a tree of the
// field paths the rules use, and for each path one index over every rule's conditions on it (hash
// tables for exact values, byte tries for prefixes and suffixes, a segment tree for numeric
// ranges, CIDR tables, wildcard globs keyed by their literal prefix, and anything-but exclusion
// sets). Matching reads the event once, looks each used leaf value up in its path's index, and
// counts satisfied fields per rule, so its cost follows the event and the matches, not the number
// of rules.
//
// Concurrency: one writer at a time (add/remove take a mutex) builds a new immutable snapshot and
// publishes it atomically; match() never locks. Give every matching thread its own MatchScratch.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patterns/flattener.h"

namespace signoff::patterns {

using RuleId = uint64_t;

struct CompiledPattern;
struct Snapshot;

// Success, or AWS's InvalidEventPatternException message ("Event pattern is not valid. Reason:
// ...").
struct PatternStatus {
  std::string message;
  bool ok() const { return message.empty(); }
};

// Checks a pattern without adding it (PutRule validation).
PatternStatus check_pattern(std::string_view pattern_json);

enum class MatchStatus : uint8_t {
  Ok,
  NotObject,  // the event is not a JSON object
  Malformed,  // the part of the event that was read is not valid JSON
  TooDeep,    // nesting beyond kMaxEventDepth
};

// Per-thread working memory for match(); reusing it keeps matching allocation-free.
class MatchScratch {
 public:
  MatchScratch() = default;

 private:
  friend class Matcher;
  friend struct MatchRun;
  uint32_t epoch_ = 0;
  uint32_t but_epoch_ = 0;
  bool trail_overflow_ = false;
  std::vector<uint32_t> pred_mark_;
  std::vector<uint32_t> pred_free_;
  std::vector<uint32_t> conj_mark_;
  std::vector<uint32_t> path_mark_;
  std::vector<uint32_t> path_closed_;
  std::vector<uint32_t> open_paths_;
  std::vector<uint32_t> but_mark_;
  std::vector<uint32_t> rule_mark_;
  std::vector<uint32_t> touched_;
  struct TrailHit {
    uint32_t pred;
    uint32_t offset;
    uint32_t length;
  };
  std::vector<TrailHit> trail_hits_;
  std::vector<TrailStep> trail_pool_;
  std::vector<TrailStep> trail_;
  std::vector<uint32_t> pick_;
  std::vector<uint32_t> gather_;
  std::vector<uint32_t> gather_end_;
  std::string key_buf_;
  std::string val_buf_;
  std::string fold_buf_;
  uint32_t closed_count_ = 0;
};

class Matcher {
 public:
  Matcher();
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Adds or replaces a rule. On error the matcher is unchanged.
  PatternStatus add_rule(RuleId id, std::string_view pattern_json);
  // Adds or replaces many rules and publishes once (bulk loading costs one rebuild, not one per
  // rule). Returns one status per input, in order; invalid patterns are skipped.
  std::vector<PatternStatus> add_rules(std::span<const std::pair<RuleId, std::string_view>> rules);
  // Returns whether the rule existed.
  bool remove_rule(RuleId id);
  size_t rule_count() const;

  // Appends the ids of matching rules to out (each once, in no particular order).
  MatchStatus match(std::string_view event_json, MatchScratch& scratch,
                    std::vector<RuleId>& out) const;

  // A readable dump of the compiled automaton, for test failure messages and debugging.
  std::string debug_dump() const;

 private:
  void publish_locked();

  mutable std::mutex writer_mu_;
  std::map<RuleId, std::shared_ptr<const CompiledPattern>> rules_;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
};

// TestEventPattern: the event must be a JSON object with id, account, source, time, region and
// detail-type; then the pattern is compiled and matched.
struct TestResult {
  enum class Kind : uint8_t { Match, NoMatch, InvalidPattern, InvalidEvent };
  Kind kind = Kind::NoMatch;
  std::string error_code;  // "InvalidEventPatternException" or "ValidationException"
  std::string message;
};
TestResult test_event_pattern(std::string_view event_json, std::string_view pattern_json);

}  // namespace signoff::patterns
