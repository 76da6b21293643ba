// Reads an event once and reports only the leaf values at paths some rule uses.
//
// Why a hand-written scanner rather than a DOM or simdjson On-Demand: most events are matched on a
// handful of fields near their start (source, detail-type, a few detail keys), and quamina showed
// that parsing dominates matching. This scanner never builds a tree, never copies a string that has
// no escapes, skips unused subtrees by bracket counting, and stops as soon as every path any rule
// uses has been seen outside an array (so a City Lots feature's long coordinate list is usually
// never read). Skipped regions are not validated; callers that must reject malformed JSON (the
// TestEventPattern API) validate first.
//
// Paths: AWS joins nested keys with '.', so {"a.b": 1} and {"a": {"b": 1}} name the same field.
// The trie therefore stores keys split at '.', and an event key containing dots takes several
// steps.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/utf8.h"

namespace signoff::patterns {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct StringEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

// The segments tree of every path some rule uses.
class PathTrie {
 public:
  static constexpr int32_t kNone = -1;

  PathTrie() : nodes_(1) {}

  // Returns the path id for these segments, creating it if new.
  uint32_t add(const std::vector<std::string>& segments) {
    uint32_t node = 0;
    for (const auto& seg : segments) {
      int32_t next = child(node, seg);
      if (next == kNone) {
        next = static_cast<int32_t>(nodes_.size());
        nodes_.emplace_back();
        Node& parent = nodes_[node];
        parent.kids.emplace_back(seg, static_cast<uint32_t>(next));
        if (parent.kids.size() > kLinearKids) {
          if (parent.kid_map.empty()) {
            for (const auto& [k, v] : parent.kids) {
              parent.kid_map.emplace(k, v);
            }
          } else {
            parent.kid_map.emplace(seg, static_cast<uint32_t>(next));
          }
        }
      }
      node = static_cast<uint32_t>(next);
    }
    if (nodes_[node].path == kNone) {
      nodes_[node].path = static_cast<int32_t>(path_count_++);
    }
    return static_cast<uint32_t>(nodes_[node].path);
  }

  int32_t child(uint32_t node, std::string_view seg) const {
    const Node& n = nodes_[node];
    if (!n.kid_map.empty()) {
      auto it = n.kid_map.find(seg);
      return it == n.kid_map.end() ? kNone : static_cast<int32_t>(it->second);
    }
    for (const auto& [k, v] : n.kids) {
      if (k.size() == seg.size() && std::memcmp(k.data(), seg.data(), seg.size()) == 0) {
        return static_cast<int32_t>(v);
      }
    }
    return kNone;
  }

  // Follows an event key, which may contain dots.
  int32_t descend(uint32_t node, std::string_view key) const {
    if (key.find('.') == std::string_view::npos) [[likely]] {
      return child(node, key);
    }
    int32_t cur = static_cast<int32_t>(node);
    size_t start = 0;
    while (cur != kNone) {
      size_t dot = key.find('.', start);
      std::string_view seg =
          key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      cur = child(static_cast<uint32_t>(cur), seg);
      if (dot == std::string_view::npos) {
        break;
      }
      start = dot + 1;
    }
    return cur;
  }

  int32_t path_at(uint32_t node) const { return nodes_[node].path; }
  bool has_kids(uint32_t node) const { return !nodes_[node].kids.empty(); }
  uint32_t path_count() const { return path_count_; }

 private:
  static constexpr size_t kLinearKids = 8;
  struct Node {
    std::vector<std::pair<std::string, uint32_t>> kids;
    std::unordered_map<std::string, uint32_t, StringHash, StringEq> kid_map;
    int32_t path = kNone;
  };
  std::vector<Node> nodes_;
  uint32_t path_count_ = 0;
};

enum class LeafKind : uint8_t { String, Number, True, False, Null };

// One step of the array trail: which array (numbered in reading order) and which element.
struct TrailStep {
  uint32_t array;
  uint32_t index;
};

enum class FlattenStatus : uint8_t { Ok, NotObject, Malformed, TooDeep };

inline constexpr int kMaxEventDepth = 200;

// Sink needs:
//   void leaf(uint32_t path, LeafKind kind, std::string_view text, const std::vector<TrailStep>&);
//   bool done() const;    // before reading: true when no rule needs anything
//   bool settle();        // after a member read outside any array: true to stop reading
// The matcher's settle() closes every path seen so far, and later values of a closed path (a
// repeated key) are ignored: the first occurrence wins. That is what makes stopping early give the
// same answer as reading on, whatever other rules share the matcher.
template <typename Sink>
class Flattener {
 public:
  Flattener(std::string_view json, const PathTrie& trie, Sink& sink, std::string& key_buf,
            std::string& val_buf, std::vector<TrailStep>& trail)
      : s_(json),
        n_(json.size()),
        trie_(trie),
        sink_(sink),
        key_buf_(key_buf),
        val_buf_(val_buf),
        trail_(trail) {}

  FlattenStatus run() {
    trail_.clear();
    skip_ws();
    if (pos_ >= n_ || s_[pos_] != '{') {
      return FlattenStatus::NotObject;
    }
    if (sink_.done()) {
      return FlattenStatus::Ok;
    }
    if (!object(0, 1)) {
      return stopped_ ? FlattenStatus::Ok : status_;
    }
    return FlattenStatus::Ok;
  }

 private:
  bool malformed() {
    status_ = FlattenStatus::Malformed;
    return false;
  }

  void skip_ws() {
    while (pos_ < n_) {
      char c = s_[pos_];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  // At '"'. Views the string's content, unescaping into buf only when it has escapes.
  bool read_string(std::string_view& out, std::string& buf) {
    size_t start = ++pos_;
    while (pos_ < n_) {
      char c = s_[pos_];
      if (c == '"') {
        out = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        return read_escaped(start, out, buf);
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return malformed();
      }
      ++pos_;
    }
    return malformed();
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  bool hex4(uint32_t& v) {
    if (pos_ + 4 > n_) {
      return false;
    }
    v = 0;
    for (int k = 0; k < 4; ++k) {
      int h = hex(s_[pos_ + k]);
      if (h < 0) {
        return false;
      }
      v = v * 16 + static_cast<uint32_t>(h);
    }
    pos_ += 4;
    return true;
  }

  bool read_escaped(size_t start, std::string_view& out, std::string& buf) {
    buf.assign(s_.data() + start, pos_ - start);
    while (pos_ < n_) {
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        out = buf;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return malformed();
      }
      if (c != '\\') {
        buf.push_back(c);
        ++pos_;
        continue;
      }
      if (++pos_ >= n_) {
        return malformed();
      }
      char e = s_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          buf.push_back(e);
          break;
        case 'b':
          buf.push_back('\b');
          break;
        case 'f':
          buf.push_back('\f');
          break;
        case 'n':
          buf.push_back('\n');
          break;
        case 'r':
          buf.push_back('\r');
          break;
        case 't':
          buf.push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) {
            return malformed();
          }
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < n_ && s_[pos_] == '\\' &&
              s_[pos_ + 1] == 'u') {
            size_t save = pos_;
            pos_ += 2;
            uint32_t low;
            if (hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
              cp = 0xFFFD;
            }
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          append_utf8(buf, static_cast<char32_t>(cp));
          break;
        }
        default:
          return malformed();
      }
    }
    return malformed();
  }

  bool skip_string() {
    ++pos_;
    while (pos_ < n_) {
      const char* p = static_cast<const char*>(std::memchr(s_.data() + pos_, '"', n_ - pos_));
      if (p == nullptr) {
        return malformed();
      }
      size_t q = static_cast<size_t>(p - s_.data());
      // The quote is escaped when an odd number of backslashes precede it.
      size_t backslashes = 0;
      while (q - backslashes > pos_ && s_[q - backslashes - 1] == '\\') {
        ++backslashes;
      }
      pos_ = q + 1;
      if (backslashes % 2 == 0) {
        return true;
      }
    }
    return malformed();
  }

  bool number_end(size_t& end) {
    size_t i = pos_;
    if (i < n_ && s_[i] == '-') {
      ++i;
    }
    size_t digits = i;
    while (i < n_ && s_[i] >= '0' && s_[i] <= '9') {
      ++i;
    }
    if (i == digits || (s_[digits] == '0' && i - digits > 1)) {
      return malformed();
    }
    if (i < n_ && s_[i] == '.') {
      size_t f = ++i;
      while (i < n_ && s_[i] >= '0' && s_[i] <= '9') {
        ++i;
      }
      if (i == f) {
        return malformed();
      }
    }
    if (i < n_ && (s_[i] == 'e' || s_[i] == 'E')) {
      ++i;
      if (i < n_ && (s_[i] == '+' || s_[i] == '-')) {
        ++i;
      }
      size_t e = i;
      while (i < n_ && s_[i] >= '0' && s_[i] <= '9') {
        ++i;
      }
      if (i == e) {
        return malformed();
      }
    }
    end = i;
    return true;
  }

  bool literal(std::string_view word) {
    if (s_.compare(pos_, word.size(), word) != 0) {
      return malformed();
    }
    pos_ += word.size();
    return true;
  }

  // Skips any value without looking inside (strings are still walked for quotes).
  bool skip_value() {
    if (pos_ >= n_) {
      return malformed();
    }
    char c = s_[pos_];
    switch (c) {
      case '"':
        return skip_string();
      case '{':
      case '[': {
        int depth = 0;
        while (pos_ < n_) {
          char d = s_[pos_];
          if (d == '"') {
            if (!skip_string()) {
              return false;
            }
            continue;
          }
          if (d == '{' || d == '[') {
            ++depth;
          } else if (d == '}' || d == ']') {
            if (--depth == 0) {
              ++pos_;
              return true;
            }
          }
          ++pos_;
        }
        return malformed();
      }
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default: {
        size_t end;
        if (!number_end(end)) {
          return false;
        }
        pos_ = end;
        return true;
      }
    }
  }

  // A value at trie node `node` (which exists).
  bool value(uint32_t node, int depth) {
    if (pos_ >= n_) {
      return malformed();
    }
    char c = s_[pos_];
    if (c == '{') {
      if (!trie_.has_kids(node)) {
        return skip_value();
      }
      return object(node, depth + 1);
    }
    if (c == '[') {
      return array(node, depth + 1);
    }
    int32_t path = trie_.path_at(node);
    if (path == PathTrie::kNone) {
      return skip_value();
    }
    auto p = static_cast<uint32_t>(path);
    switch (c) {
      case '"': {
        std::string_view text;
        if (!read_string(text, val_buf_)) {
          return false;
        }
        sink_.leaf(p, LeafKind::String, text, trail_);
        return true;
      }
      case 't':
        if (!literal("true")) {
          return false;
        }
        sink_.leaf(p, LeafKind::True, "true", trail_);
        return true;
      case 'f':
        if (!literal("false")) {
          return false;
        }
        sink_.leaf(p, LeafKind::False, "false", trail_);
        return true;
      case 'n':
        if (!literal("null")) {
          return false;
        }
        sink_.leaf(p, LeafKind::Null, "null", trail_);
        return true;
      default: {
        size_t end;
        if (!number_end(end)) {
          return false;
        }
        std::string_view text = s_.substr(pos_, end - pos_);
        pos_ = end;
        sink_.leaf(p, LeafKind::Number, text, trail_);
        return true;
      }
    }
  }

  // At '{'.
  bool object(uint32_t node, int depth) {
    if (depth > kMaxEventDepth) {
      status_ = FlattenStatus::TooDeep;
      return false;
    }
    ++pos_;
    skip_ws();
    if (pos_ < n_ && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_ws();
      if (pos_ >= n_ || s_[pos_] != '"') {
        return malformed();
      }
      std::string_view key;
      if (!read_string(key, key_buf_)) {
        return false;
      }
      int32_t kid = trie_.descend(node, key);
      skip_ws();
      if (pos_ >= n_ || s_[pos_] != ':') {
        return malformed();
      }
      ++pos_;
      skip_ws();
      if (kid == PathTrie::kNone) {
        if (!skip_value()) {
          return false;
        }
      } else {
        if (!value(static_cast<uint32_t>(kid), depth)) {
          return false;
        }
        if (array_depth_ == 0 && sink_.settle()) {
          stopped_ = true;
          return false;
        }
      }
      skip_ws();
      if (pos_ >= n_) {
        return malformed();
      }
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return malformed();
    }
  }

  // At '['.
  bool array(uint32_t node, int depth) {
    if (depth > kMaxEventDepth) {
      status_ = FlattenStatus::TooDeep;
      return false;
    }
    ++pos_;
    const uint32_t id = next_array_++;
    ++array_depth_;
    skip_ws();
    if (pos_ < n_ && s_[pos_] == ']') {
      ++pos_;
      --array_depth_;
      return true;
    }
    uint32_t index = 0;
    while (true) {
      skip_ws();
      if (pos_ >= n_) {
        return malformed();
      }
      char c = s_[pos_];
      if (c == '{' || c == '[') {
        // Elements that are containers get a trail step so that fields read from different
        // elements of the same array are never combined into one match.
        trail_.push_back(TrailStep{id, index});
        bool ok = c == '{' ? (trie_.has_kids(node) ? object(node, depth + 1) : skip_value())
                           : array(node, depth + 1);
        trail_.pop_back();
        if (!ok) {
          return false;
        }
      } else if (!value(node, depth)) {
        return false;
      }
      ++index;
      skip_ws();
      if (pos_ >= n_) {
        return malformed();
      }
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        --array_depth_;
        return true;
      }
      return malformed();
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t n_;
  const PathTrie& trie_;
  Sink& sink_;
  std::string& key_buf_;
  std::string& val_buf_;
  std::vector<TrailStep>& trail_;
  uint32_t next_array_ = 0;
  int array_depth_ = 0;
  bool stopped_ = false;
  FlattenStatus status_ = FlattenStatus::Malformed;
};

}  // namespace signoff::patterns
