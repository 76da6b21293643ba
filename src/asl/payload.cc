// Payload templates. The template is compiled into a tree where every subtree without a `.$`
// field is folded into one constant value, so evaluation copies constants by reference count and
// only builds the objects and arrays that hold dynamic fields.
#include "asl/payload.h"

#include <string>
#include <utility>
#include <vector>

#include "asl/intrinsics.h"

namespace signoff::asl {
namespace {

constexpr int kMaxDepth = 600;

enum class NodeKind : uint8_t { Constant, Path, Intrinsic, Object, Array };

struct Node {
  NodeKind kind = NodeKind::Constant;
  json::Value constant;
  std::optional<JsonPath> path;
  std::optional<Intrinsic> intrinsic;
  std::string field;              // the template key, with its ".$", for messages
  std::vector<std::string> keys;  // Object: output key of each child
  std::vector<Node> children;     // Object members or Array items
  bool duplicate_keys = false;    // Object: "a" and "a.$" both present
};

void append_pointer_token(std::string& location, std::string_view token) {
  location.push_back('/');
  for (char c : token) {
    if (c == '~') {
      location += "~0";
    } else if (c == '/') {
      location += "~1";
    } else {
      location.push_back(c);
    }
  }
}

class Compiler {
 public:
  explicit Compiler(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  bool ok() const { return ok_; }

  Node compile(const json::Value& v, const std::string& location, int depth) {
    Node node;
    if (depth > kMaxDepth) {
      ok_ = false;
      add_schema_error(diagnostics_, "The payload template is nested too deeply", location);
      return node;
    }
    if (v.is_object()) {
      bool dynamic = false;
      for (const json::Member& m : v.as_object()) {
        std::string_view key = m.key;
        if (key.size() >= 2 && key.ends_with(".$")) {
          node.keys.emplace_back(key.substr(0, key.size() - 2));
          node.children.push_back(compile_dynamic(m.key, m.value, location));
          dynamic = true;
          continue;
        }
        std::string child_location = location;
        append_pointer_token(child_location, key);
        Node child = compile(m.value, child_location, depth + 1);
        dynamic = dynamic || child.kind != NodeKind::Constant;
        node.keys.emplace_back(key);
        node.children.push_back(std::move(child));
      }
      if (dynamic) {
        node.kind = NodeKind::Object;
        for (size_t i = 0; i < node.keys.size() && !node.duplicate_keys; ++i) {
          for (size_t j = 0; j < i; ++j) {
            if (node.keys[i] == node.keys[j]) {
              node.duplicate_keys = true;
              break;
            }
          }
        }
      } else {
        node = Node();
        node.constant = v;
      }
      return node;
    }
    if (v.is_array()) {
      bool dynamic = false;
      size_t index = 0;
      for (const json::Value& item : v.as_array()) {
        std::string child_location = location;
        append_pointer_token(child_location, std::to_string(index++));
        Node child = compile(item, child_location, depth + 1);
        dynamic = dynamic || child.kind != NodeKind::Constant;
        node.children.push_back(std::move(child));
      }
      if (dynamic) {
        node.kind = NodeKind::Array;
      } else {
        node = Node();
        node.constant = v;
      }
      return node;
    }
    node.constant = v;
    return node;
  }

 private:
  Node compile_dynamic(const std::string& key, const json::Value& v, const std::string& location) {
    Node node;
    node.field = key;
    if (v.is_string()) {
      std::string_view text = v.as_string();
      std::string error;
      if (is_intrinsic_call(text)) {
        node.intrinsic = Intrinsic::compile(text, &error);
        if (node.intrinsic) {
          node.kind = NodeKind::Intrinsic;
          return node;
        }
      } else {
        node.path = JsonPath::compile(text, &error);
        if (node.path) {
          node.kind = NodeKind::Path;
          return node;
        }
      }
    }
    ok_ = false;
    add_schema_error(diagnostics_,
                     "The value for the field '" + key +
                         "' must be a valid JSONPath or a valid intrinsic function call",
                     location);
    return node;
  }

  Diagnostics& diagnostics_;
  bool ok_ = true;
};

const json::Value* path_root(const JsonPath& path, const PathRoots& roots) {
  switch (path.root()) {
    case JsonPath::Root::Input:
      return roots.input;
    case JsonPath::Root::Context:
      return roots.context;
    case JsonPath::Root::Variable: {
      const json::Value* v =
          roots.variables != nullptr ? roots.variables->lookup(path.variable()) : nullptr;
      return v != nullptr ? v : roots.input;
    }
  }
  return roots.input;
}

Outcome<json::Value> eval_node(const Node& node, const PathRoots& roots, Entropy& entropy) {
  switch (node.kind) {
    case NodeKind::Constant:
      return node.constant;
    case NodeKind::Path: {
      std::optional<json::Value> v = node.path->select(roots);
      if (!v) {
        std::string cause = "The JSONPath '" + node.path->text() + "' specified for the field '" +
                            node.field + "' could not be found in the input '";
        const json::Value* root = path_root(*node.path, roots);
        if (root != nullptr) {
          json::dump_to(*root, cause);
        } else {
          cause += "null";
        }
        cause += "'";
        return runtime_failure(std::move(cause));
      }
      return std::move(*v);
    }
    case NodeKind::Intrinsic:
      return node.intrinsic->eval(roots, entropy, node.field);
    case NodeKind::Object: {
      std::vector<json::Member> members;
      members.reserve(node.children.size());
      for (size_t i = 0; i < node.children.size(); ++i) {
        Outcome<json::Value> v = eval_node(node.children[i], roots, entropy);
        if (!v.ok()) {
          return std::move(v.failure());
        }
        // A later key of the same name replaces an earlier one, as in a JSON object.
        bool replaced = false;
        if (node.duplicate_keys) {
          for (json::Member& m : members) {
            if (m.key == node.keys[i]) {
              m.value = std::move(v.value());
              replaced = true;
              break;
            }
          }
        }
        if (!replaced) {
          members.push_back(json::Member{node.keys[i], std::move(v.value())});
        }
      }
      return json::Value::object(std::move(members));
    }
    case NodeKind::Array: {
      std::vector<json::Value> items;
      items.reserve(node.children.size());
      for (const Node& child : node.children) {
        Outcome<json::Value> v = eval_node(child, roots, entropy);
        if (!v.ok()) {
          return std::move(v.failure());
        }
        items.push_back(std::move(v.value()));
      }
      return json::Value::array(std::move(items));
    }
  }
  return json::Value();
}

}  // namespace

struct PayloadTemplate::Impl {
  Node root;
};

PayloadTemplate::PayloadTemplate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
PayloadTemplate::PayloadTemplate(const PayloadTemplate&) = default;
PayloadTemplate::PayloadTemplate(PayloadTemplate&&) noexcept = default;
PayloadTemplate& PayloadTemplate::operator=(const PayloadTemplate&) = default;
PayloadTemplate& PayloadTemplate::operator=(PayloadTemplate&&) noexcept = default;
PayloadTemplate::~PayloadTemplate() = default;

std::optional<PayloadTemplate> PayloadTemplate::compile(const json::Value& tmpl,
                                                        std::string_view location,
                                                        Diagnostics& diagnostics) {
  Compiler compiler(diagnostics);
  auto impl = std::make_shared<Impl>();
  impl->root = compiler.compile(tmpl, std::string(location), 0);
  if (!compiler.ok()) {
    return std::nullopt;
  }
  return PayloadTemplate(std::move(impl));
}

Outcome<json::Value> PayloadTemplate::eval(const PathRoots& roots, Entropy& entropy) const {
  return eval_node(impl_->root, roots, entropy);
}

bool PayloadTemplate::is_constant() const {
  return impl_->root.kind == NodeKind::Constant;
}

}  // namespace signoff::asl
