#include "api/protocol/sdk_shapes.h"

#include <cctype>
#include <memory>

namespace signoff::api {

namespace {

json::Value convert_keys(const json::Value& v, bool to_upper) {
  if (v.is_array()) {
    std::vector<json::Value> items;
    items.reserve(v.size());
    for (const json::Value& item : v.as_array()) {
      items.push_back(convert_keys(item, to_upper));
    }
    return json::Value::array(std::move(items));
  }
  if (!v.is_object()) {
    return v;
  }
  std::vector<json::Member> members;
  members.reserve(v.size());
  for (const json::Member& m : v.as_object()) {
    std::string key = m.key;
    if (!key.empty()) {
      unsigned char c = static_cast<unsigned char>(key[0]);
      key[0] = static_cast<char>(to_upper ? std::toupper(c) : std::tolower(c));
    }
    members.push_back({std::move(key), convert_keys(m.value, to_upper)});
  }
  return json::Value::object(std::move(members));
}

std::string scalar_text(const json::Value& v) {
  if (v.is_string()) {
    return std::string(v.as_string());
  }
  if (v.is_bool()) {
    return v.as_bool() ? "true" : "false";
  }
  if (v.is_null()) {
    return "";
  }
  return json::dump(v);
}

bool is_map_name(std::string_view name) {
  return name.size() >= 10 && name.substr(name.size() - 10) == "Attributes";
}

void flatten(const std::string& prefix, std::string_view name, const json::Value& v,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_array()) {
    size_t i = 0;
    for (const json::Value& item : v.as_array()) {
      flatten(prefix + ".member." + std::to_string(++i), {}, item, out);
    }
    return;
  }
  if (!v.is_object()) {
    out.emplace_back(prefix, scalar_text(v));
    return;
  }
  bool map = is_map_name(name);
  bool message_attributes = name == "MessageAttributes";
  size_t i = 0;
  for (const json::Member& m : v.as_object()) {
    if (map) {
      std::string entry = prefix + ".entry." + std::to_string(++i);
      out.emplace_back(entry + (message_attributes ? ".Name" : ".key"), m.key);
      flatten(entry + (message_attributes ? ".Value" : ".value"), {}, m.value, out);
    } else {
      flatten(prefix.empty() ? m.key : prefix + "." + m.key, m.key, m.value, out);
    }
  }
}

// A parsed element: its name, its text (character data directly inside it) and its children.
struct Node {
  std::string name;
  std::string text;
  std::vector<std::unique_ptr<Node>> children;

  const Node* child(std::string_view n) const {
    for (const auto& c : children) {
      if (c->name == n) {
        return c.get();
      }
    }
    return nullptr;
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : s_(text) {}

  std::unique_ptr<Node> document() {
    skip_prolog();
    auto root = element(0);
    return root;
  }

 private:
  static constexpr int kMaxDepth = 64;

  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) {
      ++i_;
    }
  }

  void skip_prolog() {
    skip_space();
    while (s_.substr(i_, 2) == "<?" || s_.substr(i_, 4) == "<!--") {
      size_t end = s_.substr(i_, 2) == "<?" ? s_.find("?>", i_) : s_.find("-->", i_);
      if (end == std::string_view::npos) {
        i_ = s_.size();
        return;
      }
      i_ = end + (s_[end] == '?' ? 2 : 3);
      skip_space();
    }
  }

  bool name_char(char c) const {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':';
  }

  std::string read_name() {
    size_t start = i_;
    while (i_ < s_.size() && name_char(s_[i_])) {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  // Appends decoded character data up to the next '<'.
  void text(std::string& out) {
    while (i_ < s_.size() && s_[i_] != '<') {
      if (s_[i_] != '&') {
        out.push_back(s_[i_++]);
        continue;
      }
      size_t semi = s_.find(';', i_);
      if (semi == std::string_view::npos || semi - i_ > 10) {
        out.push_back(s_[i_++]);
        continue;
      }
      std::string_view ent = s_.substr(i_ + 1, semi - i_ - 1);
      i_ = semi + 1;
      if (ent == "amp") {
        out.push_back('&');
      } else if (ent == "lt") {
        out.push_back('<');
      } else if (ent == "gt") {
        out.push_back('>');
      } else if (ent == "quot") {
        out.push_back('"');
      } else if (ent == "apos") {
        out.push_back('\'');
      } else if (!ent.empty() && ent[0] == '#') {
        append_code_point(out, ent.substr(1));
      }
    }
  }

  static void append_code_point(std::string& out, std::string_view digits) {
    int base = 10;
    if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
      base = 16;
      digits.remove_prefix(1);
    }
    uint32_t cp = 0;
    for (char c : digits) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : base == 16 && std::isxdigit(static_cast<unsigned char>(c))
                  ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                  : -1;
      if (d < 0 || cp > 0x10FFFF) {
        return;
      }
      cp = cp * static_cast<uint32_t>(base) + static_cast<uint32_t>(d);
    }
    if (cp > 0x10FFFF) {
      return;
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // At '<' of a start tag; nullptr on malformed input.
  std::unique_ptr<Node> element(int depth) {
    if (depth > kMaxDepth || i_ >= s_.size() || s_[i_] != '<') {
      return nullptr;
    }
    ++i_;
    auto node = std::make_unique<Node>();
    node->name = read_name();
    if (node->name.empty()) {
      return nullptr;
    }
    // Attributes (the root's xmlns) are skipped: nothing here reads them.
    size_t close = s_.find('>', i_);
    if (close == std::string_view::npos) {
      return nullptr;
    }
    bool empty = close > i_ && s_[close - 1] == '/';
    i_ = close + 1;
    if (empty) {
      return node;
    }
    for (;;) {
      text(node->text);
      if (i_ >= s_.size()) {
        return nullptr;
      }
      if (s_.substr(i_, 2) == "</") {
        i_ += 2;
        std::string end = read_name();
        skip_space();
        if (end != node->name || i_ >= s_.size() || s_[i_] != '>') {
          return nullptr;
        }
        ++i_;
        return node;
      }
      if (s_.substr(i_, 4) == "<!--") {
        size_t end = s_.find("-->", i_);
        if (end == std::string_view::npos) {
          return nullptr;
        }
        i_ = end + 3;
        continue;
      }
      auto child = element(depth + 1);
      if (!child) {
        return nullptr;
      }
      node->children.push_back(std::move(child));
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool all_named(const Node& n, std::string_view name) {
  for (const auto& c : n.children) {
    if (c->name != name) {
      return false;
    }
  }
  return !n.children.empty();
}

json::Value to_json(const Node& n) {
  if (n.children.empty()) {
    return json::Value(n.text);
  }
  if (all_named(n, "member")) {
    std::vector<json::Value> items;
    for (const auto& c : n.children) {
      items.push_back(to_json(*c));
    }
    return json::Value::array(std::move(items));
  }
  if (all_named(n, "entry")) {
    json::Value map = json::Value::object();
    for (const auto& c : n.children) {
      const Node* k = c->child("key");
      const Node* v = c->child("value");
      if (k == nullptr) {
        k = c->child("Name");
        v = c->child("Value");
      }
      if (k != nullptr) {
        map.set(k->text, v != nullptr ? to_json(*v) : json::Value(""));
      }
    }
    return map;
  }
  json::Value obj = json::Value::object();
  for (const auto& c : n.children) {
    json::Value value = to_json(*c);
    const json::Value* seen = obj.find(c->name);
    if (seen == nullptr) {
      obj.set(c->name, std::move(value));
    } else if (seen->is_array()) {
      json::Value list = *seen;
      list.mutable_array().push_back(std::move(value));
      obj.set(c->name, std::move(list));
    } else {
      obj.set(c->name, json::Value::array({*seen, std::move(value)}));
    }
  }
  return obj;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

json::Value keys_to_pascal(const json::Value& v) {
  return convert_keys(v, true);
}

json::Value keys_to_camel(const json::Value& v) {
  return convert_keys(v, false);
}

std::vector<std::pair<std::string, std::string>> flatten_query_params(const json::Value& params) {
  std::vector<std::pair<std::string, std::string>> out;
  if (params.is_object()) {
    flatten({}, {}, params, out);
  }
  return out;
}

std::optional<json::Value> query_result_to_json(std::string_view xml) {
  auto root = XmlReader(xml).document();
  if (!root || !ends_with(root->name, "Response") || root->name == "ErrorResponse") {
    return std::nullopt;
  }
  for (const auto& c : root->children) {
    if (ends_with(c->name, "Result")) {
      json::Value v = to_json(*c);
      return v.is_object() ? v : json::Value::object();
    }
  }
  return json::Value::object();  // actions that answer only ResponseMetadata
}

std::optional<QueryErrorBody> query_error_of(std::string_view xml) {
  auto root = XmlReader(xml).document();
  if (!root || root->name != "ErrorResponse") {
    return std::nullopt;
  }
  const Node* error = root->child("Error");
  if (error == nullptr) {
    return std::nullopt;
  }
  QueryErrorBody body;
  if (const Node* code = error->child("Code")) {
    body.code = code->text;
  }
  if (const Node* message = error->child("Message")) {
    body.message = message->text;
  }
  return body;
}

}  // namespace signoff::api
