// The compiled, immutable form of all rules of a matcher (internal).
//
// Every rule becomes one conjunction per sub-rule ("$or" branch); every field of a conjunction is a
// clause; every alternative of a field is an entry in the index of the field's path that, when an
// event value hits it, reports the clause. Clause ids are dense so the per-event bookkeeping is a
// few flat arrays stamped with an epoch (see MatchScratch).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "patterns/compiler.h"
#include "patterns/flattener.h"
#include "patterns/matcher.h"
#include "patterns/values.h"

namespace signoff::patterns {

using Postings = std::vector<uint32_t>;

// A byte trie whose nodes carry postings; walking a string reports every node on its path, which
// is exactly the set of stored prefixes of the string (or suffixes, when built reversed).
class ByteTrie {
 public:
  void insert(std::string_view key, uint32_t hit, bool reversed);
  bool empty() const { return nodes_.size() == 1 && nodes_[0].hits.empty(); }

  template <typename F>
  void walk(std::string_view s, bool reversed, F&& f) const {
    uint32_t node = 0;
    const Node* n = &nodes_[0];
    for (uint32_t h : n->hits) {
      f(h);
    }
    const size_t len = s.size();
    for (size_t i = 0; i < len; ++i) {
      auto b = static_cast<uint8_t>(reversed ? s[len - 1 - i] : s[i]);
      node = next(*n, b);
      if (node == 0) {
        return;
      }
      n = &nodes_[node];
      for (uint32_t h : n->hits) {
        f(h);
      }
    }
  }

 private:
  struct Node {
    std::vector<uint8_t> keys;  // sorted
    std::vector<uint32_t> next;
    Postings hits;
  };
  static uint32_t next(const Node& n, uint8_t b) {
    const size_t k = n.keys.size();
    if (k <= 8) {
      for (size_t i = 0; i < k; ++i) {
        if (n.keys[i] == b) {
          return n.next[i];
        }
      }
      return 0;
    }
    size_t lo = 0;
    size_t hi = k;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (n.keys[mid] < b) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return (lo < k && n.keys[lo] == b) ? n.next[lo] : 0;
  }
  std::vector<Node> nodes_{1};
};

// Wildcard globs on one path. Candidates come from the literal text before the first '*' (a
// prefix trie) or, for globs that start with '*', after the last one (a suffix trie); only
// globs with neither are tried on every value.
class GlobIndex {
 public:
  void add(std::string_view raw, uint32_t target);
  bool empty() const { return globs_.empty(); }

  template <typename F>
  void match(std::string_view s, F&& f) const {
    auto check = [&](uint32_t g) {
      if (glob_match(globs_[g], s)) {
        f(targets_[g]);
      }
    };
    if (!by_prefix_.empty()) {
      by_prefix_.walk(s, false, check);
    }
    if (!by_suffix_.empty()) {
      by_suffix_.walk(s, true, check);
    }
    for (uint32_t g : always_) {
      check(g);
    }
  }

 private:
  std::vector<Glob> globs_;
  std::vector<uint32_t> targets_;
  ByteTrie by_prefix_;
  ByteTrie by_suffix_;
  std::vector<uint32_t> always_;
};

// Numeric ranges on one path: a segment tree over the elementary intervals their end points cut
// the number line into, so a stabbing query costs O(log n + hits).
class RangeIndex {
 public:
  void add(const NumericRange& r, uint32_t target) { pending_.push_back({r, target}); }
  void build();
  bool empty() const { return slots_ == 0; }

  template <typename F>
  void query(int64_t x, F&& f) const {
    size_t p = slot_of(x) + slots_;
    while (p > 0) {
      for (uint32_t t : tree_[p]) {
        f(t);
      }
      p >>= 1;
    }
  }

 private:
  size_t slot_of(int64_t x) const;
  struct Pending {
    NumericRange range;
    uint32_t target;
  };
  std::vector<Pending> pending_;
  std::vector<int64_t> points_;
  std::vector<Postings> tree_;
  size_t slots_ = 0;
};

// CIDR blocks (and exact IP strings) on one path, grouped by address size and mask length so a
// lookup is one hash probe per distinct mask length.
class CidrIndex {
 public:
  void add(const CidrBlock& block, uint32_t target);
  bool empty() const { return groups_.empty(); }

  template <typename F>
  void match(const IpAddress& ip, F&& f) const {
    for (const auto& g : groups_) {
      if (g.size != ip.size) {
        continue;
      }
      IpAddress masked = mask_ip(ip, g.bits);
      auto it = g.blocks.find(key(masked));
      if (it == g.blocks.end()) {
        continue;
      }
      for (const auto& e : it->second) {
        if (std::memcmp(ip.bytes, e.low.bytes, ip.size) >= 0) {
          f(e.target);
        }
      }
    }
  }

 private:
  static std::string key(const IpAddress& ip) {
    return std::string(reinterpret_cast<const char*>(ip.bytes), ip.size);
  }
  struct Entry {
    IpAddress low;
    uint32_t target;
  };
  struct Group {
    uint8_t size;
    int bits;
    std::unordered_map<std::string, std::vector<Entry>> blocks;
  };
  std::vector<Group> groups_;
};

// Anything-but conditions on one path: each matches every value its exclusions do not hit.
struct ButIndex {
  std::vector<uint32_t> pred_of;  // local id -> predicate
  uint32_t base = 0;              // global id of local id 0 (for the scratch marks)
  std::unordered_map<std::string, Postings, StringHash, StringEq> strings;
  std::unordered_map<int64_t, Postings> numbers;
  std::unordered_map<std::string, Postings, StringHash, StringEq> folded;
  ByteTrie prefixes;
  ByteTrie suffixes;
  GlobIndex globs;
  bool has_string_exclusions = false;
  bool has_number_exclusions = false;
};

struct PathIndex {
  std::unordered_map<std::string, Postings, StringHash, StringEq> exact;
  std::unordered_map<std::string, Postings, StringHash, StringEq> folded;
  ByteTrie prefixes;
  ByteTrie suffixes;
  ByteTrie folded_prefixes;
  ByteTrie folded_suffixes;
  GlobIndex globs;
  CidrIndex cidrs;
  std::unordered_map<int64_t, Postings> numbers;
  std::unordered_map<std::string, Postings, StringHash, StringEq> number_texts;
  RangeIndex ranges;
  Postings nulls;
  Postings trues;
  Postings falses;
  Postings exists;
  ButIndex but;
  // Which lookups a value at this path needs at all.
  bool has_exact = false;
  bool has_prefix = false;
  bool has_suffix = false;
  bool has_fold = false;
  bool has_globs = false;
  bool has_cidrs = false;
  bool has_scaled = false;
  bool has_number_texts = false;
  bool has_but = false;
};

// A predicate is one distinct condition on one path, shared by every clause that states it (the
// index reports predicates, so "ODD_EVEN is E" costs one hit however many rules say it).
struct PredInfo {
  uint32_t anchor_begin;  // conjunctions this predicate can wake: [begin, end) in anchor_conjs
  uint32_t anchor_end;
};

struct ClauseInfo {
  uint32_t path;
  bool absent_ok;
  uint32_t pred_begin;  // [begin, end) in clause_preds
  uint32_t pred_end;
};

// A conjunction is only looked at when a predicate of its anchor clause (its most selective
// field, chosen at build time) is hit; its other fields are then checked against the marks.
struct ConjInfo {
  uint32_t rule;  // index into rule_ids
  uint32_t first_clause;
  uint32_t clause_count;
};

struct Snapshot {
  PathTrie trie;
  std::vector<PathIndex> paths;
  std::vector<PredInfo> preds;
  std::vector<uint32_t> anchor_conjs;
  std::vector<ClauseInfo> clauses;
  std::vector<uint32_t> clause_preds;
  std::vector<ConjInfo> conjs;
  std::vector<RuleId> rule_ids;
  // Conjunctions that can match with no value hit at all (every field allows absence).
  std::vector<uint32_t> absent_only_conjs;
  uint32_t but_count = 0;
};

std::shared_ptr<const Snapshot> build_snapshot(
    const std::vector<std::pair<RuleId, const CompiledPattern*>>& rules);

std::string dump_snapshot(const Snapshot& s);

}  // namespace signoff::patterns
