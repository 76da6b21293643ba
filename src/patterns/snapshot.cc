#include "patterns/snapshot.h"

#include <algorithm>
#include <string>

namespace signoff::patterns {

void ByteTrie::insert(std::string_view key, uint32_t hit, bool reversed) {
  uint32_t node = 0;
  const size_t len = key.size();
  for (size_t i = 0; i < len; ++i) {
    auto b = static_cast<uint8_t>(reversed ? key[len - 1 - i] : key[i]);
    uint32_t nxt = next(nodes_[node], b);
    if (nxt == 0) {
      nxt = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      Node& n = nodes_[node];
      auto at = std::lower_bound(n.keys.begin(), n.keys.end(), b);
      size_t idx = static_cast<size_t>(at - n.keys.begin());
      n.keys.insert(at, b);
      n.next.insert(n.next.begin() + static_cast<std::ptrdiff_t>(idx), nxt);
    }
    node = nxt;
  }
  nodes_[node].hits.push_back(hit);
}

void GlobIndex::add(std::string_view raw, uint32_t target) {
  auto g = static_cast<uint32_t>(globs_.size());
  globs_.push_back(compile_glob(raw));
  targets_.push_back(target);
  const Glob& glob = globs_.back();
  if (!glob.parts.front().empty() || !glob.has_star()) {
    by_prefix_.insert(glob.parts.front(), g, false);
  } else if (!glob.parts.back().empty()) {
    by_suffix_.insert(glob.parts.back(), g, true);
  } else {
    always_.push_back(g);
  }
}

size_t RangeIndex::slot_of(int64_t x) const {
  auto it = std::lower_bound(points_.begin(), points_.end(), x);
  size_t i = static_cast<size_t>(it - points_.begin());
  return (it != points_.end() && *it == x) ? 2 * i + 1 : 2 * i;
}

void RangeIndex::build() {
  if (pending_.empty()) {
    return;
  }
  points_.clear();
  for (const auto& p : pending_) {
    if (p.range.has_low) {
      points_.push_back(p.range.low);
    }
    if (p.range.has_high) {
      points_.push_back(p.range.high);
    }
  }
  std::sort(points_.begin(), points_.end());
  points_.erase(std::unique(points_.begin(), points_.end()), points_.end());
  const size_t m = points_.size();
  slots_ = 2 * m + 1;
  tree_.assign(2 * slots_, {});
  for (const auto& p : pending_) {
    const NumericRange& r = p.range;
    size_t start = 0;
    size_t end = 2 * m;
    if (r.has_low) {
      start = slot_of(r.low) + (r.low_open ? 1 : 0);
    }
    if (r.has_high) {
      size_t s = slot_of(r.high);
      if (r.high_open) {
        if (s == 0) {
          continue;
        }
        s -= 1;
      }
      end = s;
    }
    if (start > end) {
      continue;
    }
    size_t l = start + slots_;
    size_t h = end + slots_ + 1;
    while (l < h) {
      if (l & 1) {
        tree_[l++].push_back(p.target);
      }
      if (h & 1) {
        tree_[--h].push_back(p.target);
      }
      l >>= 1;
      h >>= 1;
    }
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

void CidrIndex::add(const CidrBlock& block, uint32_t target) {
  Group* group = nullptr;
  for (auto& g : groups_) {
    if (g.size == block.base.size && g.bits == block.bits) {
      group = &g;
      break;
    }
  }
  if (group == nullptr) {
    groups_.push_back(Group{block.base.size, block.bits, {}});
    group = &groups_.back();
  }
  group->blocks[key(mask_ip(block.base, block.bits))].push_back(Entry{block.base, target});
}

namespace {

void add_cond(PathIndex& px, const Cond& c, uint32_t pred) {
  switch (c.kind) {
    case CondKind::ExactString:
      px.exact[c.text].push_back(pred);
      px.has_exact = true;
      break;
    case CondKind::ExactNumber:
      if (c.comparable) {
        px.numbers[c.number].push_back(pred);
        px.has_scaled = true;
      } else {
        px.number_texts[c.text].push_back(pred);
        px.has_number_texts = true;
      }
      break;
    case CondKind::ExactNull:
      px.nulls.push_back(pred);
      break;
    case CondKind::ExactTrue:
      px.trues.push_back(pred);
      break;
    case CondKind::ExactFalse:
      px.falses.push_back(pred);
      break;
    case CondKind::Prefix:
      px.prefixes.insert(c.text, pred, false);
      px.has_prefix = true;
      break;
    case CondKind::Suffix:
      px.suffixes.insert(c.text, pred, true);
      px.has_suffix = true;
      break;
    case CondKind::PrefixFold:
      px.folded_prefixes.insert(c.text, pred, false);
      px.has_fold = true;
      break;
    case CondKind::SuffixFold:
      px.folded_suffixes.insert(c.text, pred, true);
      px.has_fold = true;
      break;
    case CondKind::EqualsFold:
      px.folded[c.text].push_back(pred);
      px.has_fold = true;
      break;
    case CondKind::Wildcard:
      px.globs.add(c.text, pred);
      px.has_globs = true;
      break;
    case CondKind::Numeric: {
      const NumericRange& r = c.range;
      if (r.has_low && r.has_high && r.low == r.high && !r.low_open && !r.high_open) {
        px.numbers[r.low].push_back(pred);
      } else {
        px.ranges.add(r, pred);
      }
      px.has_scaled = true;
      break;
    }
    case CondKind::Exists:
      px.exists.push_back(pred);
      break;
    case CondKind::Absent:
      break;
    case CondKind::Cidr:
      px.cidrs.add(c.cidr, pred);
      px.has_cidrs = true;
      break;
    case CondKind::ButStrings:
    case CondKind::ButNumbers:
    case CondKind::ButPrefix:
    case CondKind::ButSuffix:
    case CondKind::ButFold:
    case CondKind::ButWildcard: {
      ButIndex& but = px.but;
      auto local = static_cast<uint32_t>(but.pred_of.size());
      but.pred_of.push_back(pred);
      px.has_but = true;
      if (c.kind == CondKind::ButNumbers) {
        for (int64_t n : c.numbers) {
          but.numbers[n].push_back(local);
        }
        but.has_number_exclusions = !but.numbers.empty();
        break;
      }
      for (const auto& s : c.strings) {
        switch (c.kind) {
          case CondKind::ButStrings:
            but.strings[s].push_back(local);
            break;
          case CondKind::ButPrefix:
            but.prefixes.insert(s, local, false);
            break;
          case CondKind::ButSuffix:
            but.suffixes.insert(s, local, true);
            break;
          case CondKind::ButFold:
            but.folded[s].push_back(local);
            break;
          default:
            but.globs.add(s, local);
            break;
        }
        but.has_string_exclusions = true;
      }
      break;
    }
  }
}

// Identity of a condition on a path, for sharing predicates between rules.
std::string pred_key(uint32_t path, const Cond& c) {
  std::string k(reinterpret_cast<const char*>(&path), sizeof path);
  k.push_back(static_cast<char>(c.kind));
  auto add_num = [&](int64_t v) {
    k.append(reinterpret_cast<const char*>(&v), sizeof v);
  };
  auto add_str = [&](const std::string& t) {
    auto n = static_cast<uint32_t>(t.size());
    k.append(reinterpret_cast<const char*>(&n), sizeof n);
    k += t;
  };
  switch (c.kind) {
    case CondKind::ExactNumber:
      k.push_back(c.comparable ? 1 : 0);
      if (c.comparable) {
        add_num(c.number);
      } else {
        add_str(c.text);
      }
      break;
    case CondKind::Numeric: {
      const NumericRange& r = c.range;
      k.push_back(static_cast<char>(r.has_low | (r.low_open << 1) | (r.has_high << 2) |
                                    (r.high_open << 3)));
      add_num(r.low);
      add_num(r.high);
      break;
    }
    case CondKind::Cidr:
      k.push_back(static_cast<char>(c.cidr.base.size));
      k.push_back(static_cast<char>(c.cidr.bits));
      k.append(reinterpret_cast<const char*>(c.cidr.base.bytes), c.cidr.base.size);
      break;
    case CondKind::ButNumbers:
      for (int64_t n : c.numbers) {
        add_num(n);
      }
      break;
    default:
      add_str(c.text);
      for (const auto& t : c.strings) {
        add_str(t);
      }
      break;
  }
  return k;
}

// How little a predicate of this kind is expected to match: anchors prefer exact values.
int kind_cost(CondKind kind) {
  switch (kind) {
    case CondKind::ExactString:
    case CondKind::ExactNumber:
    case CondKind::EqualsFold:
    case CondKind::Cidr:
      return 0;
    case CondKind::Prefix:
    case CondKind::PrefixFold:
    case CondKind::Suffix:
    case CondKind::SuffixFold:
    case CondKind::Wildcard:
    case CondKind::Numeric:
      return 1;
    case CondKind::ExactNull:
    case CondKind::ExactTrue:
    case CondKind::ExactFalse:
      return 2;
    case CondKind::Exists:
      return 3;
    default:
      return 4;
  }
}

}  // namespace

std::shared_ptr<const Snapshot> build_snapshot(
    const std::vector<std::pair<RuleId, const CompiledPattern*>>& rules) {
  auto snap = std::make_shared<Snapshot>();
  std::unordered_map<std::string, uint32_t> pred_ids;
  std::vector<uint32_t> pred_refs;
  std::vector<int> pred_cost;
  for (const auto& [id, pattern] : rules) {
    auto rule_index = static_cast<uint32_t>(snap->rule_ids.size());
    snap->rule_ids.push_back(id);
    for (const auto& sub : pattern->subrules) {
      auto first = static_cast<uint32_t>(snap->clauses.size());
      for (const auto& field : sub.fields) {
        uint32_t path = snap->trie.add(field.segments);
        if (path >= snap->paths.size()) {
          snap->paths.resize(path + 1);
        }
        ClauseInfo ci{path, false, static_cast<uint32_t>(snap->clause_preds.size()), 0};
        for (const auto& c : field.conds) {
          if (c.kind == CondKind::Absent) {
            ci.absent_ok = true;
            continue;
          }
          auto [it, fresh] =
              pred_ids.emplace(pred_key(path, c), static_cast<uint32_t>(pred_refs.size()));
          if (fresh) {
            pred_refs.push_back(0);
            pred_cost.push_back(kind_cost(c.kind));
            add_cond(snap->paths[path], c, it->second);
          }
          uint32_t pred = it->second;
          if (std::find(snap->clause_preds.begin() + ci.pred_begin, snap->clause_preds.end(),
                        pred) == snap->clause_preds.end()) {
            snap->clause_preds.push_back(pred);
            ++pred_refs[pred];
          }
        }
        ci.pred_end = static_cast<uint32_t>(snap->clause_preds.size());
        snap->clauses.push_back(ci);
      }
      snap->conjs.push_back(
          ConjInfo{rule_index, first, static_cast<uint32_t>(snap->clauses.size()) - first});
    }
  }
  // Choose each conjunction's anchor clause: a field that must be present, whose predicates are
  // shared by the fewest clauses and are of the most selective kinds.
  std::vector<std::vector<uint32_t>> anchors(pred_refs.size());
  for (uint32_t conj = 0; conj < snap->conjs.size(); ++conj) {
    const ConjInfo& cj = snap->conjs[conj];
    int64_t best_score = -1;
    uint32_t best = 0;
    for (uint32_t k = 0; k < cj.clause_count; ++k) {
      const ClauseInfo& ci = snap->clauses[cj.first_clause + k];
      if (ci.absent_ok || ci.pred_begin == ci.pred_end) {
        continue;
      }
      int64_t score = 0;
      for (uint32_t i = ci.pred_begin; i < ci.pred_end; ++i) {
        uint32_t p = snap->clause_preds[i];
        score += static_cast<int64_t>(pred_refs[p]) * 8 + pred_cost[p];
      }
      if (best_score < 0 || score < best_score) {
        best_score = score;
        best = cj.first_clause + k;
      }
    }
    if (best_score < 0) {
      snap->absent_only_conjs.push_back(conj);
      continue;
    }
    const ClauseInfo& anchor = snap->clauses[best];
    for (uint32_t i = anchor.pred_begin; i < anchor.pred_end; ++i) {
      anchors[snap->clause_preds[i]].push_back(conj);
    }
  }
  snap->preds.resize(pred_refs.size());
  for (size_t p = 0; p < anchors.size(); ++p) {
    snap->preds[p].anchor_begin = static_cast<uint32_t>(snap->anchor_conjs.size());
    snap->anchor_conjs.insert(snap->anchor_conjs.end(), anchors[p].begin(), anchors[p].end());
    snap->preds[p].anchor_end = static_cast<uint32_t>(snap->anchor_conjs.size());
  }
  for (auto& px : snap->paths) {
    px.ranges.build();
    px.but.base = snap->but_count;
    snap->but_count += static_cast<uint32_t>(px.but.pred_of.size());
  }
  return snap;
}

std::string dump_snapshot(const Snapshot& s) {
  std::string out;
  out += "rules: " + std::to_string(s.rule_ids.size()) +
         ", conjunctions: " + std::to_string(s.conjs.size()) +
         ", clauses: " + std::to_string(s.clauses.size()) +
         ", predicates: " + std::to_string(s.preds.size()) +
         ", paths: " + std::to_string(s.paths.size()) +
         ", anything-but: " + std::to_string(s.but_count) + "\n";
  for (size_t c = 0; c < s.conjs.size(); ++c) {
    const ConjInfo& cj = s.conjs[c];
    out += "  conj " + std::to_string(c) + " rule " + std::to_string(s.rule_ids[cj.rule]) + ":";
    for (uint32_t k = 0; k < cj.clause_count; ++k) {
      const ClauseInfo& ci = s.clauses[cj.first_clause + k];
      out += " [clause " + std::to_string(cj.first_clause + k) + " path " +
             std::to_string(ci.path) + " predicates " +
             std::to_string(ci.pred_end - ci.pred_begin) + (ci.absent_ok ? " absent-ok" : "") + "]";
    }
    out += "\n";
  }
  for (size_t p = 0; p < s.paths.size(); ++p) {
    const PathIndex& px = s.paths[p];
    out += "  path " + std::to_string(p) + ": exact " + std::to_string(px.exact.size()) +
           ", folded " + std::to_string(px.folded.size()) + ", numbers " +
           std::to_string(px.numbers.size()) + ", exists " + std::to_string(px.exists.size()) +
           ", anything-but " + std::to_string(px.but.pred_of.size()) +
           (px.has_prefix ? ", prefix" : "") + (px.has_suffix ? ", suffix" : "") +
           (px.has_globs ? ", wildcard" : "") + (px.has_cidrs ? ", cidr" : "") +
           (px.ranges.empty() ? "" : ", ranges") + "\n";
  }
  return out;
}

}  // namespace signoff::patterns
