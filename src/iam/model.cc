#include "iam/model.h"

#include <cctype>

namespace signoff::iam::model {
namespace {

using json::Value;

std::string str(const Value& v, std::string_view key) {
  const Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

int64_t num(const Value& v, std::string_view key) {
  const Value* m = v.find(key);
  return m != nullptr && m->is_int() ? m->as_int() : 0;
}

Value strings(const std::vector<std::string>& items) {
  std::vector<Value> out;
  for (const std::string& s : items) {
    out.emplace_back(s);
  }
  return Value::array(std::move(out));
}

std::vector<std::string> strings_from(const Value& v, std::string_view key) {
  std::vector<std::string> out;
  if (const Value* a = v.find(key); a != nullptr && a->is_array()) {
    for (const Value& e : a->as_array()) {
      if (e.is_string()) {
        out.emplace_back(e.as_string());
      }
    }
  }
  return out;
}

Value policy_map(const std::map<std::string, std::string>& m) {
  std::vector<json::Member> out;
  for (const auto& [k, v] : m) {
    out.push_back({k, Value(v)});
  }
  return Value::object(std::move(out));
}

std::map<std::string, std::string> policy_map_from(const Value& v, std::string_view key) {
  std::map<std::string, std::string> out;
  if (const Value* o = v.find(key); o != nullptr && o->is_object()) {
    for (const json::Member& m : o->as_object()) {
      if (m.value.is_string()) {
        out.emplace(m.key, std::string(m.value.as_string()));
      }
    }
  }
  return out;
}

std::optional<Value> parse(const store::DocumentRecord& d) {
  json::ParseResult p = json::parse(d.json);
  if (!p.ok() || !p.value.is_object()) {
    return std::nullopt;
  }
  return p.value;
}

// The members users, groups and roles share.
template <typename E>
std::vector<json::Member> entity_members(const E& e) {
  return {{"path", Value(e.path)},
          {"name", Value(e.name)},
          {"id", Value(e.id)},
          {"arn", Value(e.arn)},
          {"created", Value(e.created_ms)},
          {"inline", policy_map(e.inline_policies)},
          {"attached", strings(e.attached)}};
}

template <typename E>
void read_entity(const Value& v, E& e) {
  e.path = str(v, "path");
  e.name = str(v, "name");
  e.id = str(v, "id");
  e.arn = str(v, "arn");
  e.created_ms = num(v, "created");
  e.inline_policies = policy_map_from(v, "inline");
  e.attached = strings_from(v, "attached");
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string to_json(const User& u) {
  std::vector<json::Member> m = entity_members(u);
  m.push_back({"groups", strings(u.groups)});
  return json::dump(Value::object(std::move(m)));
}

std::string to_json(const Group& g) {
  return json::dump(Value::object(entity_members(g)));
}

std::string to_json(const Role& r) {
  std::vector<json::Member> m = entity_members(r);
  m.push_back({"trust", Value(r.assume_role_policy)});
  m.push_back({"description", Value(r.description)});
  m.push_back({"max_session", Value(r.max_session_duration)});
  return json::dump(Value::object(std::move(m)));
}

std::string to_json(const ManagedPolicy& p) {
  std::vector<Value> versions;
  for (const PolicyVersion& v : p.versions) {
    versions.push_back(Value::object(
        {{"id", Value(v.id)}, {"document", Value(v.document)}, {"created", Value(v.created_ms)}}));
  }
  return json::dump(Value::object({{"name", Value(p.name)},
                                   {"id", Value(p.id)},
                                   {"arn", Value(p.arn)},
                                   {"path", Value(p.path)},
                                   {"description", Value(p.description)},
                                   {"default", Value(p.default_version)},
                                   {"created", Value(p.created_ms)},
                                   {"updated", Value(p.updated_ms)},
                                   {"versions", Value::array(std::move(versions))}}));
}

std::string to_json(const StoredKey& k) {
  return json::dump(Value::object({{"user", Value(k.key.user_name)},
                                   {"id", Value(k.key.id)},
                                   {"status", Value(k.key.status)},
                                   {"created", Value(k.key.created_ms)},
                                   {"secret", Value(k.sealed_secret)}}));
}

std::string to_json(const Session& s) {
  return json::dump(Value::object({{"id", Value(s.access_key_id)},
                                   {"secret", Value(s.sealed_secret)},
                                   {"token", Value(s.sealed_token)},
                                   {"expires", Value(s.expires_ms)},
                                   {"role_arn", Value(s.role_arn)},
                                   {"role_name", Value(s.role_name)},
                                   {"role_id", Value(s.role_id)},
                                   {"session", Value(s.session_name)},
                                   {"service", Value(s.service_principal)}}));
}

std::optional<User> user_from(const store::DocumentRecord& d) {
  auto v = parse(d);
  if (!v) {
    return std::nullopt;
  }
  User u;
  read_entity(*v, u);
  u.groups = strings_from(*v, "groups");
  return u;
}

std::optional<Group> group_from(const store::DocumentRecord& d) {
  auto v = parse(d);
  if (!v) {
    return std::nullopt;
  }
  Group g;
  read_entity(*v, g);
  return g;
}

std::optional<Role> role_from(const store::DocumentRecord& d) {
  auto v = parse(d);
  if (!v) {
    return std::nullopt;
  }
  Role r;
  read_entity(*v, r);
  r.assume_role_policy = str(*v, "trust");
  r.description = str(*v, "description");
  r.max_session_duration = num(*v, "max_session");
  return r;
}

std::optional<ManagedPolicy> policy_from(const store::DocumentRecord& d) {
  auto v = parse(d);
  if (!v) {
    return std::nullopt;
  }
  ManagedPolicy p;
  p.name = str(*v, "name");
  p.id = str(*v, "id");
  p.arn = str(*v, "arn");
  p.path = str(*v, "path");
  p.description = str(*v, "description");
  p.default_version = str(*v, "default");
  p.created_ms = num(*v, "created");
  p.updated_ms = num(*v, "updated");
  if (const Value* a = v->find("versions"); a != nullptr && a->is_array()) {
    for (const Value& e : a->as_array()) {
      p.versions.push_back(PolicyVersion{str(e, "id"), str(e, "document"), num(e, "created")});
    }
  }
  return p;
}

std::optional<StoredKey> key_from(const store::DocumentRecord& d) {
  auto v = parse(d);
  if (!v) {
    return std::nullopt;
  }
  StoredKey k;
  k.key.user_name = str(*v, "user");
  k.key.id = str(*v, "id");
  k.key.status = str(*v, "status");
  k.key.created_ms = num(*v, "created");
  k.sealed_secret = str(*v, "secret");
  return k;
}

std::optional<Session> session_from(const store::DocumentRecord& d) {
  auto v = parse(d);
  if (!v) {
    return std::nullopt;
  }
  Session s;
  s.access_key_id = str(*v, "id");
  s.sealed_secret = str(*v, "secret");
  s.sealed_token = str(*v, "token");
  s.expires_ms = num(*v, "expires");
  s.role_arn = str(*v, "role_arn");
  s.role_name = str(*v, "role_name");
  s.role_id = str(*v, "role_id");
  s.session_name = str(*v, "session");
  s.service_principal = str(*v, "service");
  return s;
}

}  // namespace signoff::iam::model
