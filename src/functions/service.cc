// The Lambda control plane: create, read, update, delete, versions, aliases, permissions.
#include "functions/service.h"

#include <cstdio>

#include "functions/handler.h"
#include "functions/service_impl.h"
#include "functions/util.h"
#include "functions/zip.h"
#include "policy/policy.h"

namespace signoff::functions {

namespace {

const char* const kReservedKeys[] = {"_HANDLER",
                                     "_X_AMZN_TRACE_ID",
                                     "AWS_DEFAULT_REGION",
                                     "AWS_REGION",
                                     "AWS_EXECUTION_ENV",
                                     "AWS_LAMBDA_FUNCTION_NAME",
                                     "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                     "AWS_LAMBDA_FUNCTION_VERSION",
                                     "AWS_LAMBDA_INITIALIZATION_TYPE",
                                     "AWS_LAMBDA_LOG_GROUP_NAME",
                                     "AWS_LAMBDA_LOG_STREAM_NAME",
                                     "AWS_ACCESS_KEY",
                                     "AWS_ACCESS_KEY_ID",
                                     "AWS_SECRET_ACCESS_KEY",
                                     "AWS_SESSION_TOKEN",
                                     "AWS_LAMBDA_RUNTIME_API",
                                     "LAMBDA_TASK_ROOT",
                                     "LAMBDA_RUNTIME_DIR"};

Result<Unit> check_environment(const std::map<std::string, std::string>& env) {
  std::string used;
  for (const char* k : kReservedKeys) {
    if (env.count(k) != 0) {
      used += used.empty() ? k : std::string(",") + k;
    }
  }
  if (!used.empty()) {
    return make_error("InvalidParameterValueException",
                      "Lambda was unable to configure your environment variables because the "
                      "environment variables you have provided contains reserved keys that are "
                      "currently not supported for modification. Reserved keys used in this "
                      "request: " +
                          used);
  }
  return Unit{};
}

Result<Unit> check_limits(int timeout, int memory) {
  if (timeout < 1 || timeout > 900) {
    return make_error("ValidationException",
                      "1 validation error detected: Value '" + std::to_string(timeout) +
                          "' at 'timeout' failed to satisfy constraint: Member must have value "
                          "less than or equal to 900");
  }
  if (memory < 128 || memory > 10240) {
    return make_error("ValidationException",
                      "1 validation error detected: Value '" + std::to_string(memory) +
                          "' at 'memorySize' failed to satisfy constraint: Member must have "
                          "value less than or equal to 10240");
  }
  return Unit{};
}

json::Value env_json(const std::map<std::string, std::string>& env) {
  std::vector<json::Member> vars;
  for (const auto& [k, v] : env) {
    vars.push_back({k, json::Value(v)});
  }
  return json::Value::object({{"Variables", json::Value::object(std::move(vars))}});
}

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

int64_t num(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_number() ? static_cast<int64_t>(m->as_double()) : 0;
}

std::string inline_file_name(const std::string& runtime, const std::string& handler) {
  auto family = runtime_family(runtime);
  HandlerParts parts = family.ok() && *family == RuntimeFamily::Node
                           ? split_node_handler(handler)
                           : split_python_handler(handler);
  std::string base = parts.ok ? parts.module : "index";
  for (char& c : base) {
    if (c == '.') {
      c = '/';
    }
  }
  if (family.ok() && *family == RuntimeFamily::Node) {
    return base + ".js";
  }
  if (family.ok() && *family == RuntimeFamily::Provided) {
    return "bootstrap";
  }
  return base + ".py";
}

Error conflict_revision() {
  return make_error("PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the "
                    "GetFunction/GetAlias API to retrieve the latest Revision Id",
                    412);
}

Error storage_conflict() {
  return make_error("ResourceConflictException",
                    "The operation cannot be performed at this time. An update is in progress "
                    "for resource",
                    409);
}

}  // namespace

std::string version_key(const std::string& fn_key, int64_t version) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%010lld", static_cast<long long>(version));
  return fn_key + ":" + buf;
}

Error FunctionsService::Impl::not_found(const FunctionRef& ref, bool qualified) const {
  std::string a = arn(ref.region, ref.name);
  if (qualified && !ref.qualifier.empty()) {
    a += ":" + ref.qualifier;
  }
  return make_error("ResourceNotFoundException", "Function not found: " + a, 404);
}

Result<LoadedFunction> FunctionsService::Impl::load(const FunctionRef& ref) const {
  if (!ref.account.empty() && ref.account != options.account) {
    return not_found(ref, false);
  }
  auto rec = store.get_document(kFunctionKind, key(ref.region, ref.name));
  if (!rec) {
    return not_found(ref, false);
  }
  auto parsed = json::parse(rec->json);
  if (!parsed.ok()) {
    return make_error("ServiceException", "corrupt function document", 500);
  }
  return LoadedFunction{std::move(*rec), std::move(parsed.value)};
}

Result<ResolvedTarget> FunctionsService::Impl::resolve(const FunctionRef& ref) const {
  auto fn = load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  ResolvedTarget t;
  std::string unqualified = arn(ref.region, ref.name);
  std::string q = ref.qualifier;
  t.invoked_arn = q.empty() ? unqualified : unqualified + ":" + q;
  if (!q.empty() && q != "$LATEST" && !is_version_number(q)) {
    auto alias = store.get_document(kAliasKind, key(ref.region, ref.name) + ":" + q);
    if (!alias) {
      return not_found(ref, true);
    }
    auto a = json::parse(alias->json);
    if (!a.ok()) {
      return make_error("ServiceException", "corrupt alias document", 500);
    }
    q = str(a.value, "FunctionVersion");
  }
  if (q.empty() || q == "$LATEST") {
    t.config = *fn->doc.find("Configuration");
    t.code_hex = str(fn->doc, "Code");
    t.executed_version = "$LATEST";
    return t;
  }
  auto v = store.get_document(kVersionKind, version_key(key(ref.region, ref.name), std::stoll(q)));
  if (!v) {
    return not_found(ref, true);
  }
  auto parsed = json::parse(v->json);
  if (!parsed.ok()) {
    return make_error("ServiceException", "corrupt version document", 500);
  }
  t.config = *parsed.value.find("Configuration");
  t.code_hex = str(parsed.value, "Code");
  t.executed_version = q;
  return t;
}

FunctionsService::FunctionsService(store::Store& store, const Clock& clock,
                                   FunctionsOptions options, FunctionsPorts ports)
    : impl_(std::make_unique<Impl>(store, clock, options, ports)), options_(std::move(options)) {}

FunctionsService::~FunctionsService() {
  stop();
}

Result<json::Value> FunctionsService::create_function(const CreateFunctionRequest& r) {
  Impl& m = *impl_;
  if (!valid_function_name(r.name)) {
    return make_error("ValidationException",
                      "1 validation error detected: Value '" + r.name +
                          "' at 'functionName' failed to satisfy constraint: Member must "
                          "satisfy regular expression pattern: [a-zA-Z0-9-_]+");
  }
  auto family = runtime_family(r.runtime);
  if (!family.ok()) {
    return family.error();
  }
  if (r.handler.empty() && *family != RuntimeFamily::Provided) {
    return make_error("InvalidParameterValueException",
                      "The Handler parameter is required when PackageType is Zip.");
  }
  if (r.role.rfind("arn:aws:iam::", 0) != 0) {
    return make_error("ValidationException",
                      "1 validation error detected: Value '" + r.role +
                          "' at 'role' failed to satisfy constraint: Member must satisfy regular "
                          "expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?"
                          "[a-zA-Z_0-9+=,.@\\-_/]+");
  }
  if (auto ok = check_limits(r.timeout, r.memory_size); !ok.ok()) {
    return ok.error();
  }
  if (r.environment) {
    if (auto ok = check_environment(*r.environment); !ok.ok()) {
      return ok.error();
    }
  }
  std::string zip = r.zip;
  if (zip.empty() && !r.source_text.empty()) {
    zip = make_zip({ZipEntry{inline_file_name(r.runtime, r.handler), r.source_text, 0755}});
  }
  if (zip.empty()) {
    return make_error("InvalidParameterValueException",
                      "Please provide a source for function code.");
  }
  if (m.store.get_document(kFunctionKind, m.key(r.region, r.name))) {
    return make_error("ResourceConflictException", "Function already exist: " + r.name, 409);
  }
  auto code = m.code.put(zip);
  if (!code.ok()) {
    return code.error();
  }
  int64_t now = m.clock.now_ms();
  std::string fn_arn = m.arn(r.region, r.name);
  std::vector<json::Member> c;
  c.push_back({"FunctionName", json::Value(r.name)});
  c.push_back({"FunctionArn", json::Value(fn_arn)});
  c.push_back({"Runtime", json::Value(r.runtime)});
  c.push_back({"Role", json::Value(r.role)});
  c.push_back({"Handler", json::Value(r.handler)});
  c.push_back({"CodeSize", json::Value(code->size)});
  c.push_back({"Description", json::Value(r.description)});
  c.push_back({"Timeout", json::Value(r.timeout)});
  c.push_back({"MemorySize", json::Value(r.memory_size)});
  c.push_back({"LastModified", json::Value(lambda_timestamp(now))});
  c.push_back({"CodeSha256", json::Value(code->sha256)});
  c.push_back({"Version", json::Value("$LATEST")});
  if (r.environment) {
    c.push_back({"Environment", env_json(*r.environment)});
  }
  c.push_back({"TracingConfig", json::Value::object({{"Mode", json::Value("PassThrough")}})});
  c.push_back({"RevisionId", json::Value(uuid4())});
  c.push_back({"State", json::Value("Active")});
  c.push_back({"LastUpdateStatus", json::Value("Successful")});
  c.push_back({"PackageType", json::Value("Zip")});
  c.push_back({"Architectures", json::Value::array({json::Value("x86_64")})});
  c.push_back({"EphemeralStorage", json::Value::object({{"Size", json::Value(512)}})});
  c.push_back({"SnapStart", json::Value::object({{"ApplyOn", json::Value("None")},
                                                 {"OptimizationStatus", json::Value("Off")}})});
  c.push_back(
      {"LoggingConfig", json::Value::object({{"LogFormat", json::Value("Text")},
                                             {"LogGroup", json::Value("/aws/lambda/" + r.name)}})});
  json::Value config = json::Value::object(std::move(c));
  std::vector<json::Member> tags;
  for (const auto& [k, v] : r.tags) {
    tags.push_back({k, json::Value(v)});
  }
  json::Value doc = json::Value::object({{"Configuration", config},
                                         {"Tags", json::Value::object(std::move(tags))},
                                         {"Policies", json::Value::object()},
                                         {"NextVersion", json::Value(1)},
                                         {"Code", json::Value(code->hex)}});
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc.kind = std::string(kFunctionKind);
  w.doc.key = m.key(r.region, r.name);
  w.doc.json = json::dump(doc);
  w.doc.created_ms = now;
  w.doc.updated_ms = now;
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  store::WriteStatus st = m.store.apply_documents(batch);
  if (st == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceConflictException", "Function already exist: " + r.name, 409);
  }
  if (st != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  if (r.publish) {
    FunctionRef ref{r.region, "", r.name, ""};
    return publish_version(ref, "");
  }
  return config;
}

Result<json::Value> FunctionsService::get_configuration(const FunctionRef& ref) {
  auto t = impl_->resolve(ref);
  if (!t.ok()) {
    return t.error();
  }
  return t->config;
}

Result<json::Value> FunctionsService::get_function(const FunctionRef& ref) {
  Impl& m = *impl_;
  auto t = m.resolve(ref);
  if (!t.ok()) {
    return t.error();
  }
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  std::string location = (m.options.endpoint ? m.options.endpoint() : std::string()) +
                         "/2015-03-31/functions/" + ref.name + "/code?sha256=" + t->code_hex;
  json::Value out =
      json::Value::object({{"Configuration", t->config},
                           {"Code", json::Value::object({{"RepositoryType", json::Value("S3")},
                                                         {"Location", json::Value(location)}})}});
  const json::Value* tags = fn->doc.find("Tags");
  if (tags != nullptr && tags->size() > 0) {
    out.set("Tags", *tags);
  }
  return out;
}

Result<json::Value> FunctionsService::update_code(const FunctionRef& ref, const std::string& zip_in,
                                                  const std::string& source_text, bool publish,
                                                  const std::optional<std::string>& revision_id) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  json::Value config = *fn->doc.find("Configuration");
  if (revision_id && *revision_id != str(config, "RevisionId")) {
    return conflict_revision();
  }
  std::string zip = zip_in;
  if (zip.empty() && !source_text.empty()) {
    zip = make_zip({ZipEntry{inline_file_name(str(config, "Runtime"), str(config, "Handler")),
                             source_text, 0755}});
  }
  if (zip.empty()) {
    return make_error("InvalidParameterValueException",
                      "Please provide a source for function code.");
  }
  auto code = m.code.put(zip);
  if (!code.ok()) {
    return code.error();
  }
  int64_t now = m.clock.now_ms();
  config.set("CodeSize", json::Value(code->size));
  config.set("CodeSha256", json::Value(code->sha256));
  config.set("LastModified", json::Value(lambda_timestamp(now)));
  config.set("RevisionId", json::Value(uuid4()));
  json::Value doc = fn->doc;
  doc.set("Configuration", config);
  doc.set("Code", json::Value(code->hex));
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = fn->record;
  w.doc.json = json::dump(doc);
  w.doc.updated_ms = now;
  w.expected_version = fn->record.version;
  batch.writes.push_back(std::move(w));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  m.retire_pools(m.arn(ref.region, ref.name));
  if (publish) {
    return publish_version(FunctionRef{ref.region, "", ref.name, ""}, "");
  }
  return config;
}

Result<json::Value> FunctionsService::update_configuration(const UpdateConfigurationRequest& r) {
  Impl& m = *impl_;
  auto fn = m.load(r.ref);
  if (!fn.ok()) {
    return fn.error();
  }
  json::Value config = *fn->doc.find("Configuration");
  if (r.revision_id && *r.revision_id != str(config, "RevisionId")) {
    return conflict_revision();
  }
  if (r.runtime) {
    auto family = runtime_family(*r.runtime);
    if (!family.ok()) {
      return family.error();
    }
    config.set("Runtime", json::Value(*r.runtime));
  }
  if (r.handler) {
    config.set("Handler", json::Value(*r.handler));
  }
  if (r.role) {
    config.set("Role", json::Value(*r.role));
  }
  if (r.description) {
    config.set("Description", json::Value(*r.description));
  }
  int timeout = r.timeout.value_or(static_cast<int>(num(config, "Timeout")));
  int memory = r.memory_size.value_or(static_cast<int>(num(config, "MemorySize")));
  if (auto ok = check_limits(timeout, memory); !ok.ok()) {
    return ok.error();
  }
  config.set("Timeout", json::Value(timeout));
  config.set("MemorySize", json::Value(memory));
  if (r.environment) {
    if (auto ok = check_environment(*r.environment); !ok.ok()) {
      return ok.error();
    }
    config.set("Environment", env_json(*r.environment));
  }
  int64_t now = m.clock.now_ms();
  config.set("LastModified", json::Value(lambda_timestamp(now)));
  config.set("RevisionId", json::Value(uuid4()));
  json::Value doc = fn->doc;
  doc.set("Configuration", config);
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = fn->record;
  w.doc.json = json::dump(doc);
  w.doc.updated_ms = now;
  w.expected_version = fn->record.version;
  batch.writes.push_back(std::move(w));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  m.retire_pools(m.arn(r.ref.region, r.ref.name));
  return config;
}

Result<Unit> FunctionsService::delete_function(const FunctionRef& ref) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  std::string k = m.key(ref.region, ref.name);
  store::DocumentBatch batch;
  if (!ref.qualifier.empty() && ref.qualifier != "$LATEST") {
    if (!is_version_number(ref.qualifier)) {
      return make_error("InvalidParameterValueException",
                        "Deletion of aliases is not supported by DeleteFunction; use "
                        "DeleteAlias.");
    }
    store::DocumentWrite w;
    w.op = store::DocumentWrite::Op::Delete;
    w.doc.kind = std::string(kVersionKind);
    w.doc.key = version_key(k, std::stoll(ref.qualifier));
    w.expected_version = 1;
    batch.writes.push_back(std::move(w));
    store::WriteStatus st = m.store.apply_documents(batch);
    if (st == store::WriteStatus::NotFound || st == store::WriteStatus::ConditionFailed) {
      if (!m.store.get_document(kVersionKind, version_key(k, std::stoll(ref.qualifier)))) {
        return m.not_found(ref, true);
      }
    }
    m.retire_pools(m.arn(ref.region, ref.name));
    return Unit{};
  }
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = std::string(kFunctionKind);
  w.doc.key = k;
  batch.writes.push_back(w);
  for (std::string_view kind : {kVersionKind, kAliasKind}) {
    std::string after;
    for (;;) {
      auto page = m.store.list_documents(kind, k + ":", after, 1000);
      for (const store::DocumentRecord& d : page.items) {
        store::DocumentWrite dw;
        dw.op = store::DocumentWrite::Op::Delete;
        dw.doc.kind = d.kind;
        dw.doc.key = d.key;
        batch.writes.push_back(std::move(dw));
      }
      if (page.next_key.empty()) {
        break;
      }
      after = page.next_key;
    }
  }
  m.store.apply_documents(batch);
  m.retire_pools(m.arn(ref.region, ref.name));
  return Unit{};
}

Result<json::Value> FunctionsService::list_functions(const std::string& region,
                                                     const std::string& marker, size_t max) {
  Impl& m = *impl_;
  auto page = m.store.list_documents(kFunctionKind, region + ":", marker, max == 0 ? 50 : max);
  std::vector<json::Value> items;
  for (const store::DocumentRecord& d : page.items) {
    auto p = json::parse(d.json);
    if (p.ok() && p.value.find("Configuration") != nullptr) {
      items.push_back(*p.value.find("Configuration"));
    }
  }
  json::Value out = json::Value::object({{"Functions", json::Value::array(std::move(items))}});
  if (!page.next_key.empty()) {
    out.set("NextMarker", json::Value(page.next_key));
  }
  return out;
}

Result<json::Value> FunctionsService::publish_version(const FunctionRef& ref,
                                                      const std::string& description) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  std::string k = m.key(ref.region, ref.name);
  json::Value latest = *fn->doc.find("Configuration");
  int64_t next = num(fn->doc, "NextVersion");
  if (next < 1) {
    next = 1;
  }
  // AWS returns the existing version when neither code nor configuration changed.
  if (next > 1) {
    if (auto prev = m.store.get_document(kVersionKind, version_key(k, next - 1))) {
      auto p = json::parse(prev->json);
      if (p.ok()) {
        const json::Value* pc = p.value.find("Configuration");
        if (pc != nullptr && str(*pc, "CodeSha256") == str(latest, "CodeSha256") &&
            str(p.value, "LatestRevision") == str(latest, "RevisionId")) {
          return *pc;
        }
      }
    }
  }
  json::Value config = latest;
  config.set("Version", json::Value(std::to_string(next)));
  config.set("FunctionArn", json::Value(m.arn(ref.region, ref.name) + ":" + std::to_string(next)));
  if (!description.empty()) {
    config.set("Description", json::Value(description));
  }
  config.set("RevisionId", json::Value(uuid4()));
  json::Value vdoc =
      json::Value::object({{"Configuration", config},
                           {"Code", json::Value(str(fn->doc, "Code"))},
                           {"LatestRevision", json::Value(str(latest, "RevisionId"))}});
  json::Value doc = fn->doc;
  doc.set("NextVersion", json::Value(next + 1));
  int64_t now = m.clock.now_ms();
  store::DocumentBatch batch;
  store::DocumentWrite fw;
  fw.doc = fn->record;
  fw.doc.json = json::dump(doc);
  fw.doc.updated_ms = now;
  fw.expected_version = fn->record.version;
  batch.writes.push_back(std::move(fw));
  store::DocumentWrite vw;
  vw.doc.kind = std::string(kVersionKind);
  vw.doc.key = version_key(k, next);
  vw.doc.json = json::dump(vdoc);
  vw.doc.created_ms = now;
  vw.doc.updated_ms = now;
  vw.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(vw));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  return config;
}

Result<json::Value> FunctionsService::list_versions(const FunctionRef& ref) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  std::vector<json::Value> items{*fn->doc.find("Configuration")};
  auto page = m.store.list_documents(kVersionKind, m.key(ref.region, ref.name) + ":", "", 1000);
  for (const store::DocumentRecord& d : page.items) {
    auto p = json::parse(d.json);
    if (p.ok() && p.value.find("Configuration") != nullptr) {
      items.push_back(*p.value.find("Configuration"));
    }
  }
  return json::Value::object({{"Versions", json::Value::array(std::move(items))}});
}

Result<json::Value> FunctionsService::create_alias(const FunctionRef& ref, const std::string& alias,
                                                   const std::string& version,
                                                   const std::string& description) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  std::string k = m.key(ref.region, ref.name);
  if (version != "$LATEST" &&
      (!is_version_number(version) ||
       !m.store.get_document(kVersionKind, version_key(k, std::stoll(version))))) {
    FunctionRef vref = ref;
    vref.qualifier = version;
    return m.not_found(vref, true);
  }
  json::Value a =
      json::Value::object({{"AliasArn", json::Value(m.arn(ref.region, ref.name) + ":" + alias)},
                           {"Name", json::Value(alias)},
                           {"FunctionVersion", json::Value(version)},
                           {"Description", json::Value(description)},
                           {"RevisionId", json::Value(uuid4())}});
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc.kind = std::string(kAliasKind);
  w.doc.key = k + ":" + alias;
  w.doc.json = json::dump(a);
  w.doc.created_ms = m.clock.now_ms();
  w.doc.updated_ms = w.doc.created_ms;
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  store::WriteStatus st = m.store.apply_documents(batch);
  if (st == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceConflictException",
                      "Alias already exists: " + m.arn(ref.region, ref.name) + ":" + alias, 409);
  }
  if (st != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  return a;
}

Result<json::Value> FunctionsService::get_alias(const FunctionRef& ref, const std::string& alias) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  auto d = m.store.get_document(kAliasKind, m.key(ref.region, ref.name) + ":" + alias);
  if (!d) {
    return make_error("ResourceNotFoundException",
                      "Cannot find alias arn: " + m.arn(ref.region, ref.name) + ":" + alias, 404);
  }
  auto p = json::parse(d->json);
  if (!p.ok()) {
    return make_error("ServiceException", "corrupt alias document", 500);
  }
  return p.value;
}

Result<json::Value> FunctionsService::add_permission(const PermissionRequest& r) {
  Impl& m = *impl_;
  auto fn = m.load(r.ref);
  if (!fn.ok()) {
    return fn.error();
  }
  std::string resource = m.arn(r.ref.region, r.ref.name);
  if (!r.ref.qualifier.empty()) {
    auto t = m.resolve(r.ref);
    if (!t.ok()) {
      return t.error();
    }
    resource += ":" + r.ref.qualifier;
  }
  json::Value policies = *fn->doc.find("Policies");
  const json::Value* existing = policies.find(r.ref.qualifier);
  std::vector<json::Value> statements;
  if (existing != nullptr && existing->find("Statement") != nullptr) {
    for (const json::Value& s : existing->find("Statement")->as_array()) {
      if (str(s, "Sid") == r.statement_id) {
        return make_error("ResourceConflictException",
                          "The statement id (" + r.statement_id +
                              ") provided already exists. Please provide a new statement id, or "
                              "remove the existing statement.",
                          409);
      }
      statements.push_back(s);
    }
  }
  if (!r.revision_id.empty() && r.revision_id != str(fn->doc, "PolicyRevision")) {
    return conflict_revision();
  }
  json::Value principal;
  if (r.principal == "*") {
    principal = json::Value("*");
  } else if (r.principal.find(".amazonaws.com") != std::string::npos) {
    principal = json::Value::object({{"Service", json::Value(r.principal)}});
  } else if (r.principal.size() == 12 && is_version_number(r.principal)) {
    principal =
        json::Value::object({{"AWS", json::Value("arn:aws:iam::" + r.principal + ":root")}});
  } else {
    principal = json::Value::object({{"AWS", json::Value(r.principal)}});
  }
  std::vector<json::Member> cond;
  if (!r.source_account.empty()) {
    cond.push_back({"StringEquals",
                    json::Value::object({{"AWS:SourceAccount", json::Value(r.source_account)}})});
  }
  if (!r.source_arn.empty()) {
    cond.push_back(
        {"ArnLike", json::Value::object({{"AWS:SourceArn", json::Value(r.source_arn)}})});
  }
  std::vector<json::Member> st{{"Sid", json::Value(r.statement_id)},
                               {"Effect", json::Value("Allow")},
                               {"Principal", principal},
                               {"Action", json::Value(r.action)},
                               {"Resource", json::Value(resource)}};
  if (!cond.empty()) {
    st.push_back({"Condition", json::Value::object(std::move(cond))});
  }
  json::Value statement = json::Value::object(std::move(st));
  statements.push_back(statement);
  policies.set(r.ref.qualifier,
               json::Value::object({{"Version", json::Value("2012-10-17")},
                                    {"Id", json::Value("default")},
                                    {"Statement", json::Value::array(std::move(statements))}}));
  json::Value doc = fn->doc;
  doc.set("Policies", policies);
  doc.set("PolicyRevision", json::Value(uuid4()));
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = fn->record;
  w.doc.json = json::dump(doc);
  w.doc.updated_ms = m.clock.now_ms();
  w.expected_version = fn->record.version;
  batch.writes.push_back(std::move(w));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  return json::Value::object({{"Statement", json::Value(json::dump(statement))}});
}

Result<Unit> FunctionsService::remove_permission(const FunctionRef& ref,
                                                 const std::string& statement_id) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  json::Value policies = *fn->doc.find("Policies");
  const json::Value* existing = policies.find(ref.qualifier);
  std::vector<json::Value> kept;
  bool found = false;
  if (existing != nullptr && existing->find("Statement") != nullptr) {
    for (const json::Value& s : existing->find("Statement")->as_array()) {
      if (str(s, "Sid") == statement_id) {
        found = true;
      } else {
        kept.push_back(s);
      }
    }
  }
  if (!found) {
    return make_error("ResourceNotFoundException",
                      "Statement " + statement_id + " is not found in resource policy.", 404);
  }
  if (kept.empty()) {
    policies.erase(ref.qualifier);
  } else {
    json::Value p = *existing;
    p.set("Statement", json::Value::array(std::move(kept)));
    policies.set(ref.qualifier, p);
  }
  json::Value doc = fn->doc;
  doc.set("Policies", policies);
  doc.set("PolicyRevision", json::Value(uuid4()));
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = fn->record;
  w.doc.json = json::dump(doc);
  w.doc.updated_ms = m.clock.now_ms();
  w.expected_version = fn->record.version;
  batch.writes.push_back(std::move(w));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return storage_conflict();
  }
  return Unit{};
}

Result<json::Value> FunctionsService::get_policy(const FunctionRef& ref) {
  Impl& m = *impl_;
  auto fn = m.load(ref);
  if (!fn.ok()) {
    return fn.error();
  }
  const json::Value* p = fn->doc.find("Policies")->find(ref.qualifier);
  if (p == nullptr) {
    return make_error("ResourceNotFoundException", "The resource you requested does not exist.",
                      404);
  }
  return json::Value::object({{"Policy", json::Value(json::dump(*p))},
                              {"RevisionId", json::Value(str(fn->doc, "PolicyRevision"))}});
}

void FunctionsService::invoke_as_service(const std::string& function,
                                         const std::string& service_principal,
                                         const std::string& source_arn, const std::string& payload,
                                         bool async, InvokeCallback done) {
  Impl& m = *impl_;
  auto ref = parse_function_ref(function, "", m.options.default_region);
  if (!ref.ok()) {
    return done(ref.error());
  }
  auto fn = m.load(*ref);
  if (!fn.ok()) {
    return done(fn.error());
  }
  std::string resource = m.arn(ref->region, ref->name);
  if (!ref->qualifier.empty()) {
    resource += ":" + ref->qualifier;
  }
  const json::Value* doc = fn->doc.find("Policies")->find(ref->qualifier);
  bool allowed = false;
  if (doc != nullptr) {
    auto parsed = policy::parse_policy(json::dump(*doc), policy::PolicyKind::Resource);
    if (parsed.ok()) {
      policy::RequestContext rc;
      rc.service_principal = service_principal;
      rc.action = "lambda:InvokeFunction";
      rc.resource = resource;
      rc.resource_account = m.options.account;
      if (!source_arn.empty()) {
        rc.set("aws:SourceArn", {source_arn});
      }
      rc.set("aws:SourceAccount", {m.options.account});
      allowed = policy::evaluate(rc, {}, &*parsed.policy).decision == policy::Decision::Allow;
    }
  }
  if (!allowed) {
    return done(make_error("AccessDeniedException",
                           "The service principal " + service_principal +
                               " is not authorized to perform lambda:InvokeFunction on " +
                               resource + " because no resource-based policy allows it",
                           403));
  }
  InvokeRequest r;
  r.ref = *ref;
  r.payload = payload;
  r.type = async ? InvocationType::Event : InvocationType::RequestResponse;
  invoke(r, std::move(done));
}

}  // namespace signoff::functions
