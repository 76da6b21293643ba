#include "automation/parameter_store.h"

#include <algorithm>
#include <set>

#include "automation/impl.h"
#include "regex/regex.h"

namespace signoff::automation {

namespace {

constexpr const char* kKind = "ssm.parameter";
constexpr size_t kMaxVersions = 100;
constexpr size_t kStandardMaxValue = 4096;
constexpr const char* kDefaultKeyId = "alias/aws/ssm";

Error not_found() {
  // AWS answers a missing parameter with no message at all.
  return make_error("ParameterNotFound", "");
}

Error validation(std::string message) {
  return make_error("ValidationException", std::move(message));
}

size_t code_points(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Whether some part of value matches (as SSM's allowedPattern is applied); valid is false for a
// pattern that does not compile or runs out of steps.
bool pattern_matches(const std::string& pattern, const std::string& value, bool& valid) {
  Result<bool> found = regex::contains_match(pattern, value);
  valid = found.ok();
  return valid && *found;
}

bool ami_id(const std::string& value) {
  if (value.rfind("ami-", 0) != 0 || (value.size() != 12 && value.size() != 21)) {
    return false;
  }
  return value.find_first_not_of("0123456789abcdef", 4) == std::string::npos;
}

// The name part and the selector (":3", ":label") of NAME[:SELECTOR].
struct Selected {
  std::string name;
  std::string selector;  // "" or ":..."
};
Selected split_selector(const std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos) {
    return {s, ""};
  }
  return {s.substr(0, colon), s.substr(colon)};
}

// A name as given may be the parameter's ARN.
std::string bare_name(store::Store& store, const std::string& name) {
  if (name.rfind("arn:", 0) != 0) {
    return name;
  }
  size_t at = name.find(":parameter");
  if (at == std::string::npos) {
    return name;
  }
  // arn:...:parameter/a/b names "/a/b"; arn:...:parameter/x names "x" or "/x" (the ARN of both),
  // whichever exists.
  std::string rest = name.substr(at + 10);
  std::string plain = split_selector(rest).name;
  if (plain.find('/', 1) == std::string::npos && plain.size() > 1 &&
      !store.get_document(kKind, plain) && store.get_document(kKind, plain.substr(1))) {
    return rest.substr(1);
  }
  return rest;
}

// The parameter's place in the hierarchy: names without a slash live at the root.
std::string hierarchical(const std::string& name) {
  return name.empty() || name[0] == '/' ? name : "/" + name;
}

struct Loaded {
  json::Value doc;
  int64_t version = 0;
};

std::optional<Loaded> load(store::Store& store, const std::string& name) {
  auto rec = store.get_document(kKind, name);
  if (!rec) {
    return std::nullopt;
  }
  auto parsed = json::parse(rec->json);
  if (!parsed.ok() || !parsed.value.is_object()) {
    return std::nullopt;
  }
  return Loaded{parsed.value, rec->version};
}

const json::Value* latest(const json::Value& doc) {
  const json::Value* versions = doc.find("Versions");
  if (versions == nullptr || !versions->is_array() || versions->size() == 0) {
    return nullptr;
  }
  return versions->at(versions->size() - 1);
}

const json::Value* version_of(const json::Value& doc, int64_t n) {
  const json::Value* versions = doc.find("Versions");
  if (versions == nullptr || !versions->is_array()) {
    return nullptr;
  }
  for (const json::Value& v : versions->as_array()) {
    if (int_of(v, "Version") == n) {
      return &v;
    }
  }
  return nullptr;
}

std::string tag_value(const json::Value& doc, const std::string& key, bool& present) {
  present = false;
  if (const json::Value* tags = doc.find("Tags"); tags != nullptr && tags->is_array()) {
    for (const json::Value& t : tags->as_array()) {
      if (text_of(t, "Key") == key) {
        present = true;
        return text_of(t, "Value");
      }
    }
  }
  return "";
}

bool path_matches(const std::string& name, const std::string& path, bool recursive) {
  std::string h = hierarchical(name);
  std::string prefix = path;
  if (prefix.empty() || prefix.back() != '/') {
    prefix += '/';
  }
  if (h.rfind(prefix, 0) != 0 || h.size() == prefix.size()) {
    return false;
  }
  return recursive || h.find('/', prefix.size()) == std::string::npos;
}

// One ParameterFilter against a parameter's latest version.
bool filter_matches(const ParameterFilter& f, const std::string& name, const json::Value& doc,
                    const json::Value& v) {
  auto value_matches = [&f](const std::string& actual) {
    if (f.values.empty()) {
      return true;
    }
    for (const std::string& want : f.values) {
      if (f.option == "BeginsWith" ? actual.rfind(want, 0) == 0
          : f.option == "Contains" ? actual.find(want) != std::string::npos
                                   : actual == want) {
        return true;
      }
    }
    return false;
  };
  if (f.key == "Name") {
    // Name filters compare against the name with its leading slash optional, as AWS does.
    std::string h = hierarchical(name);
    for (const std::string& want : f.values) {
      std::string w = hierarchical(want);
      bool ok = f.option == "BeginsWith" ? h.rfind(w, 0) == 0
                : f.option == "Contains" ? name.find(want) != std::string::npos
                                         : h == w;
      if (ok) {
        return true;
      }
    }
    return f.values.empty();
  }
  if (f.key == "Type") {
    return value_matches(text_of(v, "Type"));
  }
  if (f.key == "KeyId") {
    return value_matches(text_of(v, "KeyId"));
  }
  if (f.key == "Tier") {
    return value_matches(text_of(v, "Tier"));
  }
  if (f.key == "DataType") {
    return value_matches(text_of(v, "DataType"));
  }
  if (f.key == "Path") {
    for (const std::string& p : f.values) {
      if (path_matches(name, p, f.option == "Recursive")) {
        return true;
      }
    }
    return false;
  }
  if (f.key.rfind("tag:", 0) == 0) {
    bool present = false;
    std::string tv = tag_value(doc, f.key.substr(4), present);
    return present && value_matches(tv);
  }
  if (f.key == "Label") {
    return false;  // labels are not kept
  }
  return true;
}

// Visits the parameters whose keys start with prefix and sort after `after` (a raw name, the
// token a previous page handed out), in key order, until visit returns false.
template <typename Visit>
void scan(store::Store& store, const std::string& prefix, const std::string& after, Visit visit) {
  std::string cursor;
  while (true) {
    auto batch = store.list_documents(kKind, prefix, cursor, 100);
    for (const store::DocumentRecord& rec : batch.items) {
      if (!after.empty() && rec.key <= after) {
        continue;
      }
      auto parsed = json::parse(rec.json);
      const json::Value* v = parsed.ok() ? latest(parsed.value) : nullptr;
      if (v != nullptr && !visit(rec.key, parsed.value, *v)) {
        return;
      }
    }
    if (batch.next_key.empty()) {
      return;
    }
    cursor = batch.next_key;
  }
}

json::Value list_of(const std::vector<std::string>& items) {
  std::vector<json::Value> out;
  out.reserve(items.size());
  for (const std::string& s : items) {
    out.emplace_back(s);
  }
  return json::Value::array(std::move(out));
}

}  // namespace

ParameterStore::ParameterStore(store::Store& store, const Clock& clock, const SecretSealer& sealer,
                               ParameterOptions options)
    : store_(store), clock_(clock), sealer_(sealer), options_(std::move(options)) {}

std::string ParameterStore::arn(const std::string& name) const {
  return "arn:aws:ssm:" + options_.region + ":" + options_.account + ":parameter" +
         (name.rfind('/', 0) == 0 ? name : "/" + name);
}

Result<json::Value> ParameterStore::put(const PutParameterRequest& r,
                                        const std::string& caller_arn) {
  const std::string name = bare_name(store_, r.name);
  if (auto e = check_parameter_name(name)) {
    return *e;
  }
  if (r.overwrite && !r.tags.empty()) {
    return validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with "
        "tags, please remove overwrite flag. To update tags for an existing parameter, please "
        "use AddTagsToResource or RemoveTagsFromResource.");
  }
  std::string data_type = r.data_type.value_or("text");
  if (data_type != "text" && data_type != "aws:ec2:image" && data_type != "aws:ssm:integration") {
    return validation("The following data type is not supported: " + data_type +
                      " (Data type names are all lowercase.)");
  }
  if (data_type == "aws:ec2:image" && !ami_id(r.value)) {
    return validation("Parameter value, " + r.value +
                      " is not a valid AMI ID. An AMI ID must begin with ami- followed by 8 or "
                      "17 hexadecimal characters.");
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto existing = load(store_, name);
    if (existing && !r.overwrite) {
      return make_error("ParameterAlreadyExists",
                        "The parameter already exists. To overwrite this value, set the "
                        "overwrite option in the request to true.");
    }
    const json::Value* prev = existing ? latest(existing->doc) : nullptr;
    std::string type = r.type ? *r.type : prev ? text_of(*prev, "Type") : "";
    if (type.empty()) {
      return validation("A parameter type is required when you create a parameter.");
    }
    if (type != "SecureString" && r.key_id) {
      return validation("KeyId is required for SecureString type parameter only.");
    }
    std::string prev_tier = prev ? text_of(*prev, "Tier") : "";
    std::string tier = r.tier.value_or(prev_tier.empty() ? "Standard" : prev_tier);
    if (tier == "Intelligent-Tiering") {
      tier = code_points(r.value) > kStandardMaxValue || prev_tier == "Advanced" ? "Advanced"
                                                                                 : "Standard";
    }
    if (tier == "Standard" && prev_tier == "Advanced") {
      return validation(
          "This parameter uses the advanced-parameter tier. You can't downgrade a parameter "
          "from the advanced-parameter tier to the standard-parameter tier. If necessary, you "
          "can delete the advanced parameter and recreate it as a standard parameter.");
    }
    if (tier == "Standard" && code_points(r.value) > kStandardMaxValue) {
      return validation(
          "Standard tier parameters support a maximum parameter value of 4096 characters. To "
          "create a larger parameter value, upgrade the parameter to use the advanced-parameter "
          "tier. For more information, see "
          "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
          "parameter-store-advanced-parameters.html");
    }
    int64_t number = prev ? int_of(*prev, "Version") + 1 : 1;
    int64_t now = clock_.now_ms();
    std::vector<json::Member> m = {
        {"Version", json::Value(number)},
        {"Type", json::Value(type)},
        {"Value", json::Value(type == "SecureString" ? sealer_.seal(r.value) : r.value)},
        {"Tier", json::Value(tier)},
        {"DataType", json::Value(data_type)},
        {"LastModifiedDate", json::Value(now)},
        {"LastModifiedUser", json::Value(caller_arn)},
    };
    // Description and AllowedPattern carry over to a new version unless given again.
    std::string description = r.description ? *r.description
                              : prev        ? text_of(*prev, "Description")
                                            : "";
    std::string pattern = r.allowed_pattern ? *r.allowed_pattern
                          : prev            ? text_of(*prev, "AllowedPattern")
                                            : "";
    // The value must match the pattern the new version will carry (given, or kept).
    if (!pattern.empty()) {
      bool valid = true;
      bool ok = pattern_matches(pattern, r.value, valid);
      if (!valid) {
        return validation("Parameter allowedPattern, " + pattern +
                          " is not a valid regular expression.");
      }
      if (!ok) {
        return make_error(
            "ParameterPatternMismatchException",
            "Parameter value, cannot be validated against allowedPattern: " + pattern);
      }
    }
    if (!description.empty()) {
      m.push_back({"Description", json::Value(description)});
    }
    if (!pattern.empty()) {
      m.push_back({"AllowedPattern", json::Value(pattern)});
    }
    if (type == "SecureString") {
      m.push_back({"KeyId", json::Value(r.key_id.value_or(kDefaultKeyId))});
    }
    std::vector<json::Value> versions;
    json::Value tags = json::Value::array();
    int64_t created = now;
    if (existing) {
      if (const json::Value* vs = existing->doc.find("Versions"); vs && vs->is_array()) {
        versions.assign(vs->as_array().begin(), vs->as_array().end());
      }
      if (const json::Value* t = existing->doc.find("Tags"); t && t->is_array()) {
        tags = *t;
      }
      created = int_of(existing->doc, "CreatedDate", now);
    } else {
      std::vector<json::Value> tl;
      for (const ParameterTag& t : r.tags) {
        tl.push_back(json::Value::object({{"Key", json::Value(t.key)}, {"Value", t.value}}));
      }
      tags = json::Value::array(std::move(tl));
    }
    versions.push_back(json::Value::object(std::move(m)));
    if (versions.size() > kMaxVersions) {
      versions.erase(versions.begin());
    }
    json::Value doc = json::Value::object({{"Name", json::Value(name)},
                                           {"CreatedDate", json::Value(created)},
                                           {"Versions", json::Value::array(std::move(versions))},
                                           {"Tags", tags}});
    store::DocumentBatch batch;
    store::DocumentWrite w;
    w.doc.kind = kKind;
    w.doc.key = name;
    w.doc.json = json::dump(doc);
    w.doc.created_ms = created;
    w.doc.updated_ms = now;
    w.expected_version = existing ? existing->version : store::kMustNotExist;
    batch.writes.push_back(std::move(w));
    store::WriteStatus st = store_.apply_documents(batch);
    if (st == store::WriteStatus::Ok) {
      return json::Value::object({{"Version", json::Value(number)}, {"Tier", json::Value(tier)}});
    }
    // Someone else wrote the parameter meanwhile: judge the request again on what is there.
  }
  return make_error("TooManyUpdates",
                    "There are concurrent updates for the resource that you're trying to modify.");
}

namespace {

// The GetParameter shape of one version.
json::Value parameter_shape(const std::string& name, const std::string& arn, const json::Value& v,
                            const std::string& value, const std::string& selector) {
  std::vector<json::Member> m = {
      {"Name", json::Value(name)},
      {"Type", json::Value(text_of(v, "Type"))},
      {"Value", json::Value(value)},
      {"Version", json::Value(int_of(v, "Version"))},
  };
  if (!selector.empty()) {
    m.push_back({"Selector", json::Value(selector)});
  }
  m.push_back({"LastModifiedDate", epoch_seconds(int_of(v, "LastModifiedDate"))});
  m.push_back({"ARN", json::Value(arn)});
  m.push_back({"DataType", json::Value(text_of(v, "DataType"))});
  return json::Value::object(std::move(m));
}

}  // namespace

Result<ParameterStore::Resolved> ParameterStore::resolve(const std::string& name) {
  Selected s = split_selector(bare_name(store_, name));
  auto existing = load(store_, s.name);
  if (!existing) {
    return not_found();
  }
  const json::Value* v = latest(existing->doc);
  if (!s.selector.empty()) {
    std::string n = s.selector.substr(1);
    if (n.empty() || n.size() > 18 || n.find_first_not_of("0123456789") != std::string::npos) {
      return make_error("ParameterVersionLabelNotFound", "Systems Manager could not find label " +
                                                             n + " for parameter " + s.name + ".");
    }
    v = version_of(existing->doc, std::stoll(n));
    if (v == nullptr) {
      return make_error("ParameterVersionNotFound", "Systems Manager could not find version " + n +
                                                        " of " + s.name +
                                                        ". Verify the version and try again.");
    }
  }
  if (v == nullptr) {
    return not_found();
  }
  Resolved out;
  out.type = text_of(*v, "Type");
  out.version = int_of(*v, "Version");
  out.value = text_of(*v, "Value");
  if (out.type == "SecureString") {
    auto opened = sealer_.open(out.value);
    if (!opened) {
      return make_error("InvalidKeyId", "The server's master key cannot open " + s.name + ".");
    }
    out.value = *opened;
  }
  return out;
}

Result<json::Value> ParameterStore::get(const std::string& given, bool decrypt) {
  Selected s = split_selector(bare_name(store_, given));
  auto r = resolve(given);
  if (!r.ok()) {
    return r.error();
  }
  auto existing = load(store_, s.name);
  if (!existing) {
    return not_found();
  }
  const json::Value* v = version_of(existing->doc, r->version);
  if (v == nullptr) {
    return not_found();
  }
  std::string value = r->type == "SecureString" && !decrypt ? text_of(*v, "Value") : r->value;
  return json::Value::object(
      {{"Parameter", parameter_shape(s.name, arn(s.name), *v, value, s.selector)}});
}

Result<json::Value> ParameterStore::get_many(const std::vector<std::string>& names, bool decrypt) {
  std::vector<json::Value> found;
  std::vector<std::string> invalid;
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (!seen.insert(n).second) {
      continue;
    }
    auto p = get(n, decrypt);
    if (p.ok()) {
      found.push_back(*p->find("Parameter"));
    } else if (p.error().type == "ParameterNotFound" ||
               p.error().type == "ParameterVersionNotFound" ||
               p.error().type == "ParameterVersionLabelNotFound") {
      invalid.push_back(n);
    } else {
      return p.error();
    }
  }
  return json::Value::object({{"Parameters", json::Value::array(std::move(found))},
                              {"InvalidParameters", list_of(invalid)}});
}

Result<json::Value> ParameterStore::get_by_path(const std::string& path, bool recursive,
                                                bool decrypt,
                                                const std::vector<ParameterFilter>& filters,
                                                const ParameterPageRequest& page) {
  if (path.empty() || path[0] != '/') {
    return validation(
        "The parameter doesn't meet the parameter name requirements. The parameter name must "
        "begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" "
        "(case-insensitive). It must use only letters, numbers, or the following symbols: . "
        "(period), - (hyphen), _ (underscore). Special characters are not allowed. All "
        "sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: "
        "/get/parameters2-/by1./path0_.");
  }
  if (path.size() > 1 && path.find("//") != std::string::npos) {
    return validation("The parameter doesn't meet the parameter name requirements.");
  }
  // Names without a slash sit at the root, so "/" lists every key; a deeper path is a prefix.
  std::string prefix = path == "/" ? "" : (path.back() == '/' ? path : path + "/");
  std::vector<json::Value> out;
  std::string last;
  std::string next;
  scan(store_, prefix, page.next_token,
       [&](const std::string& key, const json::Value& doc, const json::Value& v) {
         if (!path_matches(key, path, recursive)) {
           return true;
         }
         for (const ParameterFilter& f : filters) {
           if (!filter_matches(f, key, doc, v)) {
             return true;
           }
         }
         if (out.size() == page.max_results) {
           next = last;
           return false;
         }
         std::string value = text_of(v, "Value");
         if (decrypt && text_of(v, "Type") == "SecureString") {
           value = sealer_.open(value).value_or(value);
         }
         out.push_back(parameter_shape(key, arn(key), v, value, ""));
         last = key;
         return true;
       });
  std::vector<json::Member> m = {{"Parameters", json::Value::array(std::move(out))}};
  if (!next.empty()) {
    m.push_back({"NextToken", json::Value(next)});
  }
  return json::Value::object(std::move(m));
}

Result<Unit> ParameterStore::remove(const std::string& given) {
  std::string name = bare_name(store_, given);
  auto existing = load(store_, name);
  if (!existing) {
    return not_found();
  }
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = kKind;
  w.doc.key = name;
  batch.writes.push_back(std::move(w));
  if (store_.apply_documents(batch) != store::WriteStatus::Ok) {
    return not_found();
  }
  return Unit{};
}

Result<json::Value> ParameterStore::remove_many(const std::vector<std::string>& names) {
  std::vector<std::string> deleted;
  std::vector<std::string> invalid;
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (!seen.insert(n).second) {
      continue;
    }
    (remove(n).ok() ? deleted : invalid).push_back(n);
  }
  return json::Value::object(
      {{"DeletedParameters", list_of(deleted)}, {"InvalidParameters", list_of(invalid)}});
}

Result<json::Value> ParameterStore::describe(const std::vector<ParameterFilter>& filters,
                                             const ParameterPageRequest& page) {
  std::vector<json::Value> out;
  std::string last;
  std::string next;
  scan(store_, "", page.next_token,
       [&](const std::string& key, const json::Value& doc, const json::Value& v) {
         for (const ParameterFilter& f : filters) {
           if (!filter_matches(f, key, doc, v)) {
             return true;
           }
         }
         if (out.size() == page.max_results) {
           next = last;
           return false;
         }
         std::vector<json::Member> m = {
             {"Name", json::Value(key)},
             {"ARN", json::Value(arn(key))},
             {"Type", json::Value(text_of(v, "Type"))},
         };
         if (text_of(v, "Type") == "SecureString") {
           m.push_back({"KeyId", json::Value(text_of(v, "KeyId"))});
         }
         m.push_back({"LastModifiedDate", epoch_seconds(int_of(v, "LastModifiedDate"))});
         m.push_back({"LastModifiedUser", json::Value(text_of(v, "LastModifiedUser"))});
         if (std::string d = text_of(v, "Description"); !d.empty()) {
           m.push_back({"Description", json::Value(d)});
         }
         if (std::string p = text_of(v, "AllowedPattern"); !p.empty()) {
           m.push_back({"AllowedPattern", json::Value(p)});
         }
         m.push_back({"Version", json::Value(int_of(v, "Version"))});
         m.push_back({"Tier", json::Value(text_of(v, "Tier"))});
         m.push_back({"Policies", json::Value::array()});
         m.push_back({"DataType", json::Value(text_of(v, "DataType"))});
         out.push_back(json::Value::object(std::move(m)));
         last = key;
         return true;
       });
  std::vector<json::Member> m = {{"Parameters", json::Value::array(std::move(out))}};
  if (!next.empty()) {
    m.push_back({"NextToken", json::Value(next)});
  }
  return json::Value::object(std::move(m));
}

Result<json::Value> ParameterStore::history(const std::string& given, bool decrypt,
                                            const ParameterPageRequest& page) {
  std::string name = bare_name(store_, given);
  auto existing = load(store_, name);
  if (!existing) {
    return not_found();
  }
  const json::Value* versions = existing->doc.find("Versions");
  size_t start = 0;
  if (!page.next_token.empty()) {
    if (page.next_token.find_first_not_of("0123456789") != std::string::npos ||
        page.next_token.size() > 6) {
      return validation("The specified token is not valid.");
    }
    start = static_cast<size_t>(std::stoul(page.next_token));
  }
  std::vector<json::Value> out;
  size_t i = start;
  for (; versions != nullptr && i < versions->size() && out.size() < page.max_results; ++i) {
    const json::Value& v = *versions->at(i);
    std::string value = text_of(v, "Value");
    if (decrypt && text_of(v, "Type") == "SecureString") {
      value = sealer_.open(value).value_or(value);
    }
    std::vector<json::Member> m = {
        {"Name", json::Value(name)},
        {"Type", json::Value(text_of(v, "Type"))},
    };
    if (text_of(v, "Type") == "SecureString") {
      m.push_back({"KeyId", json::Value(text_of(v, "KeyId"))});
    }
    m.push_back({"LastModifiedDate", epoch_seconds(int_of(v, "LastModifiedDate"))});
    m.push_back({"LastModifiedUser", json::Value(text_of(v, "LastModifiedUser"))});
    if (std::string d = text_of(v, "Description"); !d.empty()) {
      m.push_back({"Description", json::Value(d)});
    }
    m.push_back({"Value", json::Value(value)});
    if (std::string p = text_of(v, "AllowedPattern"); !p.empty()) {
      m.push_back({"AllowedPattern", json::Value(p)});
    }
    m.push_back({"Version", json::Value(int_of(v, "Version"))});
    m.push_back({"Labels", json::Value::array()});
    m.push_back({"Tier", json::Value(text_of(v, "Tier"))});
    m.push_back({"Policies", json::Value::array()});
    m.push_back({"DataType", json::Value(text_of(v, "DataType"))});
    out.push_back(json::Value::object(std::move(m)));
  }
  std::vector<json::Member> m = {{"Parameters", json::Value::array(std::move(out))}};
  if (versions != nullptr && i < versions->size()) {
    m.push_back({"NextToken", json::Value(std::to_string(i))});
  }
  return json::Value::object(std::move(m));
}

}  // namespace signoff::automation
