// Connections (how to authorize against an HTTP endpoint) and API destinations (the endpoint),
// kept as documents. Secrets stay in the connection's document (AWS keeps them in Secrets
// Manager) and are never returned by Describe.
#include <initializer_list>

#include "bus/service_impl.h"

namespace signoff::bus {

namespace {

json::Value epoch_s(int64_t ms) {
  return json::Value(static_cast<double>(ms) / 1000.0);
}

Error validation(std::string message) {
  return make_error("ValidationException", std::move(message));
}

Error connection_not_found(const std::string& name) {
  return make_error(
      "ResourceNotFoundException",
      "Failed to describe the connection(s). Connection '" + name + "' does not exist.");
}

Error destination_not_found(const std::string& name) {
  return make_error("ResourceNotFoundException",
                    "Failed to describe the api-destination(s). An api-destination '" + name +
                        "' does not exist.");
}

std::optional<json::Value> read_doc(store::Store& s, const char* kind, const std::string& key) {
  auto d = s.get_document(kind, key);
  if (!d) {
    return std::nullopt;
  }
  auto p = json::parse(d->json);
  if (!p.ok()) {
    return std::nullopt;
  }
  return p.value;
}

// The connection as Describe shows it: the secret halves of the auth parameters left out.
json::Value public_connection(json::Value c) {
  if (const json::Value* auth = c.find("AuthParameters"); auth && auth->is_object()) {
    json::Value a = *auth;
    if (const json::Value* k = a.find("ApiKeyAuthParameters")) {
      a.set("ApiKeyAuthParameters",
            json::Value::object({{"ApiKeyName", json::Value(sget(*k, "ApiKeyName"))}}));
    }
    if (const json::Value* b = a.find("BasicAuthParameters")) {
      a.set("BasicAuthParameters",
            json::Value::object({{"Username", json::Value(sget(*b, "Username"))}}));
    }
    if (const json::Value* o = a.find("OAuthParameters")) {
      json::Value oauth = *o;
      if (const json::Value* cp = oauth.find("ClientParameters")) {
        oauth.set("ClientParameters",
                  json::Value::object({{"ClientID", json::Value(sget(*cp, "ClientID"))}}));
      }
      a.set("OAuthParameters", oauth);
    }
    c.set("AuthParameters", a);
  }
  return c;
}

json::Value pick(const json::Value& doc, std::initializer_list<std::string_view> keys) {
  std::vector<json::Member> out;
  for (std::string_view k : keys) {
    if (const json::Value* v = doc.find(k)) {
      out.push_back({std::string(k), *v});
    }
  }
  return json::Value::object(std::move(out));
}

Result<Listed> list_kind(store::Store& s, const char* kind, const ListRequest& r,
                         std::initializer_list<std::string_view> keys) {
  auto after = unwrap_token(r.token);
  if (!after) {
    return bad_token();
  }
  auto page = s.list_documents(kind, r.prefix, *after, r.limit);
  Listed out;
  for (const store::DocumentRecord& d : page.items) {
    auto p = json::parse(d.json);
    if (p.ok()) {
      out.items.push_back(pick(p.value, keys));
    }
  }
  out.next_token = wrap_token(page.next_key);
  return out;
}

Result<Unit> insert(store::Store& s, const char* kind, const std::string& key,
                    const json::Value& doc, int64_t now, const std::string& exists_message) {
  store::DocumentBatch batch;
  batch.writes.push_back({store::DocumentWrite::Op::Put,
                          store::DocumentRecord{kind, key, json::dump(doc), "", 0, now, now},
                          store::kMustNotExist});
  if (s.apply_documents(batch) == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceAlreadyExistsException", exists_message);
  }
  return Unit{};
}

void remove_doc(store::Store& s, const char* kind, const std::string& key) {
  store::DocumentBatch batch;
  batch.writes.push_back({store::DocumentWrite::Op::Delete,
                          store::DocumentRecord{kind, key, "", "", 0, 0, 0}, store::kAnyVersion});
  s.apply_documents(batch);
}

}  // namespace

Result<json::Value> EventsService::create_connection(const json::Value& req) {
  Impl& m = *impl_;
  std::string name = sget(req, "Name");
  std::string type = sget(req, "AuthorizationType");
  const json::Value* auth = req.find("AuthParameters");
  if (auth == nullptr || !auth->is_object()) {
    return validation("AuthParameters must be specified.");
  }
  if (type == "API_KEY") {
    const json::Value* k = auth->find("ApiKeyAuthParameters");
    if (k == nullptr || sget(*k, "ApiKeyName").empty() || sget(*k, "ApiKeyValue").empty()) {
      return validation("ApiKeyAuthParameters must be specified for authorization type API_KEY.");
    }
  } else if (type == "BASIC") {
    const json::Value* b = auth->find("BasicAuthParameters");
    if (b == nullptr || sget(*b, "Username").empty() || sget(*b, "Password").empty()) {
      return validation("BasicAuthParameters must be specified for authorization type BASIC.");
    }
  } else if (type == "OAUTH_CLIENT_CREDENTIALS") {
    if (auth->find("OAuthParameters") == nullptr) {
      return validation(
          "OAuthParameters must be specified for authorization type OAUTH_CLIENT_CREDENTIALS.");
    }
  }
  int64_t now = m.clock.now_ms();
  std::string arn = m.arn_prefix() + "connection/" + name + "/" + m.uuid();
  std::vector<json::Member> f;
  f.push_back({"ConnectionArn", json::Value(arn)});
  f.push_back({"Name", json::Value(name)});
  if (const json::Value* d = req.find("Description")) {
    f.push_back({"Description", *d});
  }
  f.push_back({"ConnectionState", json::Value("AUTHORIZED")});
  f.push_back({"AuthorizationType", json::Value(type)});
  f.push_back({"AuthParameters", *auth});
  f.push_back({"SecretArn", json::Value("arn:aws:secretsmanager:" + m.opts.region + ":" +
                                        m.opts.account + ":secret:events!connection/" + name)});
  f.push_back({"CreationTime", epoch_s(now)});
  f.push_back({"LastModifiedTime", epoch_s(now)});
  f.push_back({"LastAuthorizedTime", epoch_s(now)});
  json::Value doc = json::Value::object(std::move(f));
  auto ins =
      insert(m.store, kConnectionKind, name, doc, now, "Connection " + name + " already exists.");
  if (!ins.ok()) {
    return ins.error();
  }
  return pick(doc, {"ConnectionArn", "ConnectionState", "CreationTime", "LastModifiedTime"});
}

Result<json::Value> EventsService::describe_connection(const std::string& name) {
  auto doc = read_doc(impl_->store, kConnectionKind, name);
  if (!doc) {
    return connection_not_found(name);
  }
  return public_connection(*doc);
}

Result<json::Value> EventsService::delete_connection(const std::string& name) {
  auto doc = read_doc(impl_->store, kConnectionKind, name);
  if (!doc) {
    return connection_not_found(name);
  }
  remove_doc(impl_->store, kConnectionKind, name);
  json::Value out =
      pick(*doc, {"ConnectionArn", "CreationTime", "LastModifiedTime", "LastAuthorizedTime"});
  out.set("ConnectionState", json::Value("DELETING"));
  return out;
}

Result<Listed> EventsService::list_connections(const ListRequest& r) {
  return list_kind(impl_->store, kConnectionKind, r,
                   {"ConnectionArn", "Name", "ConnectionState", "AuthorizationType", "CreationTime",
                    "LastModifiedTime", "LastAuthorizedTime"});
}

Result<json::Value> EventsService::create_api_destination(const json::Value& req) {
  Impl& m = *impl_;
  std::string name = sget(req, "Name");
  std::string connection_arn = sget(req, "ConnectionArn");
  std::string endpoint = sget(req, "InvocationEndpoint");
  // Signoff also takes http:// (AWS wants https), so tests can aim at a loopback server.
  if (endpoint.rfind("https://", 0) != 0 && endpoint.rfind("http://", 0) != 0) {
    return validation("Parameter InvocationEndpoint is not valid.");
  }
  size_t at = connection_arn.find(":connection/");
  std::string connection_name =
      at == std::string::npos
          ? ""
          : connection_arn.substr(at + 12, connection_arn.find('/', at + 12) - at - 12);
  auto conn = read_doc(m.store, kConnectionKind, connection_name);
  if (!conn || sget(*conn, "ConnectionArn") != connection_arn) {
    return make_error("ResourceNotFoundException",
                      "Connection '" + connection_name + "' does not exist.");
  }
  int64_t now = m.clock.now_ms();
  std::string arn = m.arn_prefix() + "api-destination/" + name + "/" + m.uuid();
  std::vector<json::Member> f;
  f.push_back({"ApiDestinationArn", json::Value(arn)});
  f.push_back({"Name", json::Value(name)});
  if (const json::Value* d = req.find("Description")) {
    f.push_back({"Description", *d});
  }
  f.push_back({"ApiDestinationState", json::Value("ACTIVE")});
  f.push_back({"ConnectionArn", json::Value(connection_arn)});
  f.push_back({"InvocationEndpoint", json::Value(endpoint)});
  f.push_back({"HttpMethod", json::Value(sget(req, "HttpMethod"))});
  const json::Value* rate = req.find("InvocationRateLimitPerSecond");
  f.push_back({"InvocationRateLimitPerSecond", rate != nullptr ? *rate : json::Value(300)});
  f.push_back({"CreationTime", epoch_s(now)});
  f.push_back({"LastModifiedTime", epoch_s(now)});
  json::Value doc = json::Value::object(std::move(f));
  auto ins = insert(m.store, kDestinationKind, name, doc, now,
                    "An api-destination '" + name + "' already exists.");
  if (!ins.ok()) {
    return ins.error();
  }
  return pick(doc,
              {"ApiDestinationArn", "ApiDestinationState", "CreationTime", "LastModifiedTime"});
}

Result<json::Value> EventsService::describe_api_destination(const std::string& name) {
  auto doc = read_doc(impl_->store, kDestinationKind, name);
  if (!doc) {
    return destination_not_found(name);
  }
  return *doc;
}

Result<Unit> EventsService::delete_api_destination(const std::string& name) {
  if (!read_doc(impl_->store, kDestinationKind, name)) {
    return destination_not_found(name);
  }
  remove_doc(impl_->store, kDestinationKind, name);
  return Unit{};
}

Result<Listed> EventsService::list_api_destinations(const ListRequest& r) {
  return list_kind(
      impl_->store, kDestinationKind, r,
      {"ApiDestinationArn", "Name", "ApiDestinationState", "ConnectionArn", "InvocationEndpoint",
       "HttpMethod", "InvocationRateLimitPerSecond", "CreationTime", "LastModifiedTime"});
}

}  // namespace signoff::bus
