// Fuzzes JsonPath::compile, select, normalized and assign_at. Input: the path on the first line,
// an optional JSON document after it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "asl/jsonpath.h"
#include "common/json.h"

namespace {

class NoVariables : public signoff::asl::VariableLookup {
 public:
  const signoff::json::Value* lookup(std::string_view name) const override {
    return name == "v" ? &value_ : nullptr;
  }

 private:
  signoff::json::Value value_ = signoff::json::Value::array({1, "two", nullptr});
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  std::string_view path_text = text.substr(0, newline);
  std::string_view doc_text = newline == std::string_view::npos ? "" : text.substr(newline + 1);
  json::ParseResult parsed = json::parse(doc_text);
  json::Value doc = parsed.ok() ? parsed.value
                                : json::parse(R"({"a":[1,{"b":2,"c":[3,4]}],"d":{"e":"f"}})").value;
  std::string error;
  auto path = asl::JsonPath::compile(path_text, &error);
  if (!path) {
    return 0;
  }
  NoVariables vars;
  asl::PathRoots roots{&doc, &doc, &vars};
  auto selected = path->select(roots);
  if (!path->is_definite() && !(selected && selected->is_array())) {
    __builtin_trap();  // indefinite paths always give an array
  }
  (void)path->normalized();
  if (path->is_reference_path() && path->root() == asl::JsonPath::Root::Input) {
    auto assigned = asl::assign_at(doc, *path, json::Value("x"), &error);
    if (assigned) {
      auto back = path->select(asl::PathRoots{&*assigned, nullptr, nullptr});
      if (!back || *back != json::Value("x")) {
        __builtin_trap();  // what ResultPath wrote must be readable at the same path
      }
    }
  }
  return 0;
}
