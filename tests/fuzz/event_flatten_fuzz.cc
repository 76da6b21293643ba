// Differential test of the event flattener against simdjson's DOM: for every input simdjson
// accepts, the flattener (given every leaf path of the document) must report exactly the same leaf
// values. Inputs simdjson rejects must not crash the flattener.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <simdjson.h>

#include "patterns/compiler.h"
#include "patterns/flattener.h"

namespace {

using signoff::patterns::FlattenStatus;
using signoff::patterns::LeafKind;
using signoff::patterns::PathTrie;
using signoff::patterns::TrailStep;

using Leaf = std::tuple<uint32_t, int, std::string>;

double to_double(std::string_view text) {
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return d;
}

// -0 is folded into 0, which simdjson reports as the integer 0.
std::string number_key(double d) {
  return std::to_string(d == 0 ? 0.0 : d);
}

void walk(simdjson::dom::element e, std::vector<std::string>& path, PathTrie& trie,
          std::vector<Leaf>& leaves, int depth) {
  using simdjson::dom::element_type;
  if (depth > 100) {
    return;
  }
  switch (e.type()) {
    case element_type::OBJECT: {
      simdjson::dom::object obj;
      if (e.get_object().get(obj)) {
        return;
      }
      for (auto field : obj) {
        auto segs = signoff::patterns::split_path(field.key);
        path.insert(path.end(), segs.begin(), segs.end());
        walk(field.value, path, trie, leaves, depth + 1);
        path.resize(path.size() - segs.size());
      }
      return;
    }
    case element_type::ARRAY: {
      simdjson::dom::array arr;
      if (e.get_array().get(arr)) {
        return;
      }
      for (auto item : arr) {
        walk(item, path, trie, leaves, depth + 1);
      }
      return;
    }
    default:
      break;
  }
  uint32_t id = trie.add(path);
  switch (e.type()) {
    case element_type::STRING:
      leaves.emplace_back(id, 0, std::string(e.get_string().value_unsafe()));
      break;
    case element_type::INT64:
      leaves.emplace_back(id, 1, number_key(static_cast<double>(e.get_int64().value_unsafe())));
      break;
    case element_type::UINT64:
      leaves.emplace_back(id, 1, number_key(static_cast<double>(e.get_uint64().value_unsafe())));
      break;
    case element_type::DOUBLE:
      leaves.emplace_back(id, 1, number_key(e.get_double().value_unsafe()));
      break;
    case element_type::BOOL:
      leaves.emplace_back(id, e.get_bool().value_unsafe() ? 2 : 3, "");
      break;
    default:
      leaves.emplace_back(id, 4, "");
      break;
  }
}

struct Collect {
  std::vector<Leaf> leaves;
  bool done() const { return false; }
  bool settle() { return false; }
  void leaf(uint32_t path, LeafKind kind, std::string_view text, const std::vector<TrailStep>&) {
    switch (kind) {
      case LeafKind::String:
        leaves.emplace_back(path, 0, std::string(text));
        break;
      case LeafKind::Number:
        leaves.emplace_back(path, 1, number_key(to_double(text)));
        break;
      case LeafKind::True:
        leaves.emplace_back(path, 2, "");
        break;
      case LeafKind::False:
        leaves.emplace_back(path, 3, "");
        break;
      case LeafKind::Null:
        leaves.emplace_back(path, 4, "");
        break;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) {
    return 0;
  }
  std::string_view input(reinterpret_cast<const char*>(data), size);
  PathTrie trie;
  std::vector<Leaf> expected;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(input);
  simdjson::dom::element doc;
  bool valid = !parser.parse(padded).get(doc) && doc.is_object();
  if (valid) {
    std::vector<std::string> path;
    walk(doc, path, trie, expected, 0);
  } else {
    trie.add({"a"});
    trie.add({"a", "b"});
  }
  Collect sink;
  std::string key_buf;
  std::string val_buf;
  std::vector<TrailStep> trail;
  signoff::patterns::Flattener<Collect> flat(input, trie, sink, key_buf, val_buf, trail);
  FlattenStatus status = flat.run();
  if (!valid) {
    return 0;
  }
  if (status == FlattenStatus::TooDeep) {
    return 0;
  }
  if (status != FlattenStatus::Ok) {
    std::abort();
  }
  std::sort(expected.begin(), expected.end());
  std::sort(sink.leaves.begin(), sink.leaves.end());
  if (expected != sink.leaves) {
    std::abort();
  }
  return 0;
}
