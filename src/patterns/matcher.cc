#include "patterns/matcher.h"

#include <algorithm>

#include <simdjson.h>

#include "patterns/compiler.h"
#include "patterns/snapshot.h"

namespace signoff::patterns {

namespace {

constexpr const char* kInvalidPattern = "Event pattern is not valid. Reason: ";
// Trails recorded per event; beyond this, array-consistency checks are skipped (fail open).
constexpr size_t kMaxTrailHits = 1 << 16;
constexpr int kConsistencyBudget = 100000;

bool compatible(const TrailStep* a, uint32_t na, const TrailStep* b, uint32_t nb) {
  for (uint32_t i = 0; i < na; ++i) {
    for (uint32_t j = 0; j < nb; ++j) {
      if (a[i].array == b[j].array && a[i].index != b[j].index) {
        return false;
      }
    }
  }
  return true;
}

template <typename T>
void grow(std::vector<T>& v, size_t n) {
  if (v.size() < n) {
    v.resize(n, T{});
  }
}

}  // namespace

// One event being matched against one snapshot; the flattener's sink.
struct MatchRun {
  const Snapshot& s;
  MatchScratch& sc;
  uint32_t epoch;

  bool done() const { return s.trie.path_count() == 0; }

  bool settle() {
    for (uint32_t p : sc.open_paths_) {
      sc.path_closed_[p] = epoch;
    }
    sc.closed_count_ += static_cast<uint32_t>(sc.open_paths_.size());
    sc.open_paths_.clear();
    return sc.closed_count_ == s.trie.path_count();
  }

  void hit(uint32_t pred, const std::vector<TrailStep>& trail) {
    if (sc.pred_mark_[pred] != epoch) {
      sc.pred_mark_[pred] = epoch;
      const PredInfo& pi = s.preds[pred];
      for (uint32_t i = pi.anchor_begin; i < pi.anchor_end; ++i) {
        uint32_t conj = s.anchor_conjs[i];
        if (sc.conj_mark_[conj] != epoch) {
          sc.conj_mark_[conj] = epoch;
          sc.touched_.push_back(conj);
        }
      }
    }
    if (trail.empty()) {
      sc.pred_free_[pred] = epoch;
    } else if (sc.pred_free_[pred] != epoch) {
      if (sc.trail_hits_.size() >= kMaxTrailHits) {
        sc.trail_overflow_ = true;
        return;
      }
      sc.trail_hits_.push_back(MatchScratch::TrailHit{
          pred, static_cast<uint32_t>(sc.trail_pool_.size()), static_cast<uint32_t>(trail.size())});
      sc.trail_pool_.insert(sc.trail_pool_.end(), trail.begin(), trail.end());
    }
  }

  void leaf(uint32_t path, LeafKind kind, std::string_view text,
            const std::vector<TrailStep>& trail) {
    if (sc.path_mark_[path] != epoch) {
      sc.path_mark_[path] = epoch;
      sc.open_paths_.push_back(path);
    } else if (sc.path_closed_[path] == epoch) {
      return;
    }
    const PathIndex& px = s.paths[path];
    auto h = [&](uint32_t c) {
      hit(c, trail);
    };
    for (uint32_t c : px.exists) {
      h(c);
    }
    std::string_view folded;
    ScaledNumber scaled;
    switch (kind) {
      case LeafKind::String: {
        if (px.has_exact) {
          auto it = px.exact.find(text);
          if (it != px.exact.end()) {
            for (uint32_t c : it->second) {
              h(c);
            }
          }
        }
        if (px.has_prefix) {
          px.prefixes.walk(text, false, h);
        }
        if (px.has_suffix) {
          px.suffixes.walk(text, true, h);
        }
        if (px.has_fold || !px.but.folded.empty()) {
          if (is_folded_ascii(text)) {
            folded = text;
          } else {
            fold_case(text, sc.fold_buf_);
            folded = sc.fold_buf_;
          }
        }
        if (px.has_fold) {
          auto it = px.folded.find(folded);
          if (it != px.folded.end()) {
            for (uint32_t c : it->second) {
              h(c);
            }
          }
          px.folded_prefixes.walk(folded, false, h);
          px.folded_suffixes.walk(folded, true, h);
        }
        if (px.has_globs) {
          px.globs.match(text, h);
        }
        if (px.has_cidrs) {
          IpAddress ip;
          if (parse_ip(text, ip)) {
            px.cidrs.match(ip, h);
          }
        }
        break;
      }
      case LeafKind::Number: {
        if (px.has_scaled || px.but.has_number_exclusions) {
          scaled = parse_scaled(text);
        }
        if (px.has_scaled && scaled.status == NumberStatus::Ok) {
          auto it = px.numbers.find(scaled.value);
          if (it != px.numbers.end()) {
            for (uint32_t c : it->second) {
              h(c);
            }
          }
          if (!px.ranges.empty()) {
            px.ranges.query(scaled.value, h);
          }
        }
        if (px.has_number_texts) {
          auto it = px.number_texts.find(text);
          if (it != px.number_texts.end()) {
            for (uint32_t c : it->second) {
              h(c);
            }
          }
        }
        break;
      }
      case LeafKind::Null:
        for (uint32_t c : px.nulls) {
          h(c);
        }
        break;
      case LeafKind::True:
        for (uint32_t c : px.trues) {
          h(c);
        }
        break;
      case LeafKind::False:
        for (uint32_t c : px.falses) {
          h(c);
        }
        break;
    }
    if (px.has_but) {
      anything_but(px, kind, text, folded, scaled, trail);
    }
  }

  void anything_but(const PathIndex& px, LeafKind kind, std::string_view text,
                    std::string_view folded, const ScaledNumber& scaled,
                    const std::vector<TrailStep>& trail) {
    const ButIndex& but = px.but;
    // Exclusions are per value: the same anything-but can fail on one array element and match
    // on the next.
    if (++sc.but_epoch_ == 0) {
      std::fill(sc.but_mark_.begin(), sc.but_mark_.end(), 0);
      sc.but_epoch_ = 1;
    }
    const uint32_t mark = sc.but_epoch_;
    auto exclude = [&](uint32_t local) {
      sc.but_mark_[but.base + local] = mark;
    };
    if (kind == LeafKind::String && but.has_string_exclusions) {
      auto it = but.strings.find(text);
      if (it != but.strings.end()) {
        for (uint32_t l : it->second) {
          exclude(l);
        }
      }
      but.prefixes.walk(text, false, exclude);
      but.suffixes.walk(text, true, exclude);
      if (!but.folded.empty()) {
        auto f = but.folded.find(folded);
        if (f != but.folded.end()) {
          for (uint32_t l : f->second) {
            exclude(l);
          }
        }
      }
      if (!but.globs.empty()) {
        but.globs.match(text, exclude);
      }
    } else if (kind == LeafKind::Number && but.has_number_exclusions &&
               scaled.status == NumberStatus::Ok) {
      auto it = but.numbers.find(scaled.value);
      if (it != but.numbers.end()) {
        for (uint32_t l : it->second) {
          exclude(l);
        }
      }
    }
    const auto n = static_cast<uint32_t>(but.pred_of.size());
    for (uint32_t l = 0; l < n; ++l) {
      if (sc.but_mark_[but.base + l] != mark) {
        hit(but.pred_of[l], trail);
      }
    }
  }

  // Whether one value per trail-carrying clause can be chosen so no two come from different
  // elements of the same array.
  bool consistent(const ConjInfo& cj) {
    auto& gather = sc.gather_;
    auto& ends = sc.gather_end_;
    gather.clear();
    ends.clear();
    for (uint32_t k = 0; k < cj.clause_count; ++k) {
      const ClauseInfo& ci = s.clauses[cj.first_clause + k];
      const size_t start = gather.size();
      bool free = false;
      bool hit_any = false;
      for (uint32_t i = ci.pred_begin; i < ci.pred_end && !free; ++i) {
        uint32_t p = s.clause_preds[i];
        if (sc.pred_mark_[p] != epoch) {
          continue;
        }
        hit_any = true;
        if (sc.pred_free_[p] == epoch) {
          free = true;
          break;
        }
        auto lo = std::lower_bound(
            sc.trail_hits_.begin(), sc.trail_hits_.end(), p,
            [](const MatchScratch::TrailHit& t, uint32_t v) { return t.pred < v; });
        for (auto it = lo; it != sc.trail_hits_.end() && it->pred == p; ++it) {
          gather.push_back(static_cast<uint32_t>(it - sc.trail_hits_.begin()));
        }
      }
      if (free || !hit_any || gather.size() == start) {
        gather.resize(start);
        continue;
      }
      ends.push_back(static_cast<uint32_t>(gather.size()));
    }
    const size_t levels = ends.size();
    if (levels < 2) {
      return true;
    }
    auto begin_of = [&](size_t lv) -> uint32_t {
      return lv == 0 ? 0 : ends[lv - 1];
    };
    auto& pick = sc.pick_;
    pick.assign(levels, 0);
    pick[0] = begin_of(0);
    size_t lv = 0;
    int budget = kConsistencyBudget;
    while (true) {
      if (--budget == 0) {
        return true;
      }
      if (pick[lv] >= ends[lv]) {
        if (lv == 0) {
          return false;
        }
        --lv;
        ++pick[lv];
        continue;
      }
      const auto& cur = sc.trail_hits_[gather[pick[lv]]];
      bool ok = true;
      for (size_t j = 0; j < lv && ok; ++j) {
        const auto& prev = sc.trail_hits_[gather[pick[j]]];
        ok = compatible(&sc.trail_pool_[cur.offset], cur.length, &sc.trail_pool_[prev.offset],
                        prev.length);
      }
      if (!ok) {
        ++pick[lv];
        continue;
      }
      if (lv + 1 == levels) {
        return true;
      }
      ++lv;
      pick[lv] = begin_of(lv);
    }
  }

  void evaluate(uint32_t conj, std::vector<RuleId>& out) {
    const ConjInfo& cj = s.conjs[conj];
    if (sc.rule_mark_[cj.rule] == epoch) {
      return;
    }
    for (uint32_t k = 0; k < cj.clause_count; ++k) {
      const ClauseInfo& ci = s.clauses[cj.first_clause + k];
      bool satisfied = false;
      for (uint32_t i = ci.pred_begin; i < ci.pred_end; ++i) {
        if (sc.pred_mark_[s.clause_preds[i]] == epoch) {
          satisfied = true;
          break;
        }
      }
      if (!satisfied && !(ci.absent_ok && sc.path_mark_[ci.path] != epoch)) {
        return;
      }
    }
    if (!sc.trail_hits_.empty() && !sc.trail_overflow_ && !consistent(cj)) {
      return;
    }
    sc.rule_mark_[cj.rule] = epoch;
    out.push_back(s.rule_ids[cj.rule]);
  }

  static void prepare(MatchScratch& sc, const Snapshot& s);
  static MatchStatus run(const Snapshot& s, std::string_view event, MatchScratch& sc,
                         std::vector<RuleId>& out);

  void finish(std::vector<RuleId>& out) {
    if (!sc.trail_hits_.empty()) {
      std::stable_sort(sc.trail_hits_.begin(), sc.trail_hits_.end(),
                       [](const MatchScratch::TrailHit& a, const MatchScratch::TrailHit& b) {
                         return a.pred < b.pred;
                       });
    }
    for (uint32_t conj : sc.touched_) {
      evaluate(conj, out);
    }
    for (uint32_t conj : s.absent_only_conjs) {
      if (sc.conj_mark_[conj] != epoch) {
        evaluate(conj, out);
      }
    }
  }
};

void MatchRun::prepare(MatchScratch& sc, const Snapshot& s) {
  // Stamps left by earlier events, even under an earlier snapshot, are older than the new epoch,
  // so the arrays only need to be large enough.
  grow(sc.pred_mark_, s.preds.size());
  grow(sc.pred_free_, s.preds.size());
  grow(sc.conj_mark_, s.conjs.size());
  grow(sc.path_mark_, s.paths.size());
  grow(sc.path_closed_, s.paths.size());
  grow(sc.but_mark_, s.but_count);
  grow(sc.rule_mark_, s.rule_ids.size());
  if (++sc.epoch_ == 0) {
    for (auto* v : {&sc.pred_mark_, &sc.pred_free_, &sc.conj_mark_, &sc.path_mark_,
                    &sc.path_closed_, &sc.rule_mark_}) {
      std::fill(v->begin(), v->end(), 0);
    }
    sc.epoch_ = 1;
  }
  sc.closed_count_ = 0;
  sc.open_paths_.clear();
  sc.touched_.clear();
  sc.trail_hits_.clear();
  sc.trail_pool_.clear();
  sc.trail_overflow_ = false;
}

MatchStatus MatchRun::run(const Snapshot& s, std::string_view event, MatchScratch& sc,
                          std::vector<RuleId>& out) {
  prepare(sc, s);
  MatchRun m{s, sc, sc.epoch_};
  Flattener<MatchRun> flat(event, s.trie, m, sc.key_buf_, sc.val_buf_, sc.trail_);
  switch (flat.run()) {
    case FlattenStatus::Ok:
      break;
    case FlattenStatus::NotObject:
      return MatchStatus::NotObject;
    case FlattenStatus::Malformed:
      return MatchStatus::Malformed;
    case FlattenStatus::TooDeep:
      return MatchStatus::TooDeep;
  }
  m.finish(out);
  return MatchStatus::Ok;
}

PatternStatus check_pattern(std::string_view pattern_json) {
  CompileResult r = compile_pattern(pattern_json);
  PatternStatus st;
  if (!r.ok()) {
    st.message = kInvalidPattern + r.error;
  }
  return st;
}

Matcher::Matcher() {
  snapshot_.store(build_snapshot({}));
}

Matcher::~Matcher() = default;

void Matcher::publish_locked() {
  std::vector<std::pair<RuleId, const CompiledPattern*>> list;
  list.reserve(rules_.size());
  for (const auto& [id, p] : rules_) {
    list.emplace_back(id, p.get());
  }
  snapshot_.store(build_snapshot(list), std::memory_order_release);
}

PatternStatus Matcher::add_rule(RuleId id, std::string_view pattern_json) {
  std::pair<RuleId, std::string_view> one{id, pattern_json};
  return add_rules(std::span<const std::pair<RuleId, std::string_view>>(&one, 1)).front();
}

std::vector<PatternStatus> Matcher::add_rules(
    std::span<const std::pair<RuleId, std::string_view>> rules) {
  std::vector<PatternStatus> statuses(rules.size());
  std::vector<std::pair<RuleId, std::shared_ptr<const CompiledPattern>>> compiled;
  for (size_t i = 0; i < rules.size(); ++i) {
    CompileResult r = compile_pattern(rules[i].second);
    if (!r.ok()) {
      statuses[i].message = kInvalidPattern + r.error;
      continue;
    }
    compiled.emplace_back(rules[i].first,
                          std::make_shared<const CompiledPattern>(std::move(r.pattern)));
  }
  if (compiled.empty()) {
    return statuses;
  }
  std::lock_guard<std::mutex> lock(writer_mu_);
  for (auto& [id, p] : compiled) {
    rules_[id] = std::move(p);
  }
  publish_locked();
  return statuses;
}

bool Matcher::remove_rule(RuleId id) {
  std::lock_guard<std::mutex> lock(writer_mu_);
  if (rules_.erase(id) == 0) {
    return false;
  }
  publish_locked();
  return true;
}

size_t Matcher::rule_count() const {
  std::lock_guard<std::mutex> lock(writer_mu_);
  return rules_.size();
}

MatchStatus Matcher::match(std::string_view event_json, MatchScratch& scratch,
                           std::vector<RuleId>& out) const {
  std::shared_ptr<const Snapshot> snap = snapshot_.load(std::memory_order_acquire);
  return MatchRun::run(*snap, event_json, scratch, out);
}

std::string Matcher::debug_dump() const {
  std::shared_ptr<const Snapshot> snap = snapshot_.load(std::memory_order_acquire);
  return dump_snapshot(*snap);
}

TestResult test_event_pattern(std::string_view event_json, std::string_view pattern_json) {
  TestResult result;
  {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(event_json);
    simdjson::dom::element doc;
    bool valid = !parser.parse(padded).get(doc) && doc.is_object();
    if (valid) {
      simdjson::dom::object obj = doc.get_object().value_unsafe();
      for (const char* key : {"id", "account", "source", "time", "region", "detail-type"}) {
        if (obj.at_key(key).error()) {
          valid = false;
          break;
        }
      }
    }
    if (!valid) {
      result.kind = TestResult::Kind::InvalidEvent;
      result.error_code = "ValidationException";
      result.message = "Parameter Event is not valid.";
      return result;
    }
  }
  CompileResult compiled = compile_pattern(pattern_json);
  if (!compiled.ok()) {
    result.kind = TestResult::Kind::InvalidPattern;
    result.error_code = "InvalidEventPatternException";
    result.message = kInvalidPattern + compiled.error;
    return result;
  }
  std::vector<std::pair<RuleId, const CompiledPattern*>> one{{0, &compiled.pattern}};
  std::shared_ptr<const Snapshot> snap = build_snapshot(one);
  MatchScratch scratch;
  std::vector<RuleId> out;
  MatchStatus st = MatchRun::run(*snap, event_json, scratch, out);
  if (st != MatchStatus::Ok) {
    result.kind = TestResult::Kind::InvalidEvent;
    result.error_code = "ValidationException";
    result.message = "Parameter Event is not valid.";
    return result;
  }
  result.kind = out.empty() ? TestResult::Kind::NoMatch : TestResult::Kind::Match;
  return result;
}

}  // namespace signoff::patterns
