// Invocations: from a resolved configuration to a warm pool, the environment AWS gives a
// function, and Event invocations kept as jobs until they ran (at least once, as AWS's queue).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "functions/bootstraps.h"
#include "functions/handler.h"
#include "functions/service.h"
#include "functions/service_impl.h"
#include "functions/util.h"
#include "functions/zip.h"

namespace signoff::functions {

namespace {

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

int64_t num(const json::Value& v, std::string_view key, int64_t fallback) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_number() ? static_cast<int64_t>(m->as_double()) : fallback;
}

Result<Unit> write_file(const std::string& path, std::string_view text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      return make_error("ServiceException", "cannot write " + tmp, 500);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return make_error("ServiceException", "cannot write " + path + ": " + ec.message(), 500);
  }
  return Unit{};
}

constexpr size_t kTailBytes = 4096;

}  // namespace

Result<Unit> FunctionsService::Impl::ensure_runtime_locked() {
  std::error_code ec;
  if (runtime_written && std::filesystem::exists(runtime_dir + "/bootstrap.py", ec) &&
      std::filesystem::exists(runtime_dir + "/bootstrap.js", ec)) {
    return Unit{};
  }
  std::filesystem::create_directories(runtime_dir, ec);
  if (ec) {
    return make_error("ServiceException", "cannot create " + runtime_dir + ": " + ec.message(),
                      500);
  }
  if (auto w = write_file(runtime_dir + "/bootstrap.py", kPythonBootstrap); !w.ok()) {
    return w.error();
  }
  if (auto w = write_file(runtime_dir + "/bootstrap.js", kNodeBootstrap); !w.ok()) {
    return w.error();
  }
  runtime_written = true;
  return Unit{};
}

void FunctionsService::start() {
  Impl& m = *impl_;
  {
    // Also done before each first spawn: the server may take invocations before start() runs.
    std::lock_guard lock(m.pools_mu);
    if (auto w = m.ensure_runtime_locked(); !w.ok()) {
      std::fprintf(stderr, "signoff: functions: %s\n", w.error().message.c_str());
    }
  }
  // Event invocations accepted before a restart and not yet run.
  for (const store::JobRecord& job : m.store.jobs_by_kind(kAsyncJobKind)) {
    auto p = json::parse(job.payload);
    if (!p.ok()) {
      m.store.delete_job(job.id);
      continue;
    }
    InvokeRequest r;
    auto ref = parse_function_ref(str(p.value, "Function"), "", m.options.default_region);
    if (!ref.ok()) {
      m.store.delete_job(job.id);
      continue;
    }
    r.ref = *ref;
    r.payload = str(p.value, "Payload");
    auto t = m.resolve(r.ref);
    if (!t.ok()) {
      m.store.delete_job(job.id);
      continue;
    }
    std::string id = job.id;
    store::Store* st = &m.store;
    m.run(*t, r.payload, false, [st, id](Result<InvokeResult>) { st->delete_job(id); });
  }
}

void FunctionsService::stop() {
  Impl& m = *impl_;
  std::map<std::string, Impl::PoolEntry> pools;
  {
    std::lock_guard lock(m.pools_mu);
    m.stopped = true;
    pools.swap(m.pools);
  }
  for (auto& [arn, e] : pools) {
    e.pool->shutdown();
  }
}

void FunctionsService::Impl::retire_pools(const std::string& unqualified_arn) {
  std::vector<std::shared_ptr<Pool>> old;
  {
    std::lock_guard lock(pools_mu);
    for (auto it = pools.begin(); it != pools.end();) {
      if (it->first == unqualified_arn || it->first.rfind(unqualified_arn + ":", 0) == 0) {
        old.push_back(it->second.pool);
        it = pools.erase(it);
      } else {
        ++it;
      }
    }
  }
  // Kills idle and running workers of the old configuration: new invocations start on the new
  // code at once. (AWS lets running invocations finish; documented in COMPATIBILITY.)
  for (auto& p : old) {
    p->shutdown();
  }
}

std::vector<std::string> FunctionsService::Impl::environment(const ResolvedTarget& t,
                                                             const std::string& task_root,
                                                             const std::string& region,
                                                             int64_t* credentials_expire_ms) const {
  const json::Value& c = t.config;
  std::string name = str(c, "FunctionName");
  std::vector<std::string> env;
  // The user's variables first; AWS's reserved ones cannot be overridden (create refuses them).
  if (const json::Value* e = c.find("Environment")) {
    if (const json::Value* vars = e->find("Variables"); vars && vars->is_object()) {
      for (const json::Member& mbr : vars->as_object()) {
        if (mbr.value.is_string()) {
          env.push_back(mbr.key + "=" + std::string(mbr.value.as_string()));
        }
      }
    }
  }
  std::string runtime = str(c, "Runtime");
  env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
  env.push_back("LANG=en_US.UTF-8");
  env.push_back("TZ=:UTC");
  env.push_back("HOME=/tmp");
  env.push_back("AWS_REGION=" + region);
  env.push_back("AWS_DEFAULT_REGION=" + region);
  env.push_back("AWS_EXECUTION_ENV=AWS_Lambda_" + runtime);
  env.push_back("AWS_LAMBDA_FUNCTION_NAME=" + name);
  env.push_back("AWS_LAMBDA_FUNCTION_VERSION=" + t.executed_version);
  env.push_back("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + std::to_string(num(c, "MemorySize", 128)));
  env.push_back("AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + name);
  env.push_back("AWS_LAMBDA_INITIALIZATION_TYPE=on-demand");
  env.push_back("LAMBDA_TASK_ROOT=" + task_root);
  env.push_back("LAMBDA_RUNTIME_DIR=" + runtime_dir);
  env.push_back("_HANDLER=" + str(c, "Handler"));
  // The SDKs must reach Signoff, never the host's profile or real AWS.
  env.push_back("AWS_CONFIG_FILE=/dev/null");
  env.push_back("AWS_SHARED_CREDENTIALS_FILE=/dev/null");
  env.push_back("AWS_EC2_METADATA_DISABLED=true");
  if (options.endpoint) {
    env.push_back("AWS_ENDPOINT_URL=" + options.endpoint());
  }
  if (ports.credentials != nullptr) {
    Credentials cr = ports.credentials->for_role(str(c, "Role"));
    *credentials_expire_ms = cr.expiration_ms;
    env.push_back("AWS_ACCESS_KEY_ID=" + cr.access_key_id);
    env.push_back("AWS_SECRET_ACCESS_KEY=" + cr.secret_access_key);
    if (!cr.session_token.empty()) {
      env.push_back("AWS_SESSION_TOKEN=" + cr.session_token);
    }
  }
  return env;
}

std::shared_ptr<Pool> FunctionsService::Impl::pool_for(const ResolvedTarget& t) {
  std::string arn = str(t.config, "FunctionArn");
  std::string revision = str(t.config, "RevisionId") + "/" + t.code_hex;
  std::shared_ptr<Pool> stale;
  std::shared_ptr<Pool> pool;
  {
    std::lock_guard lock(pools_mu);
    if (stopped) {
      return nullptr;
    }
    auto it = pools.find(arn);
    // Workers carry their role's temporary credentials: a pool is replaced five minutes before
    // they expire (like an update, this cuts invocations still running on the old pool).
    constexpr int64_t kCredentialsMarginMs = 5 * 60 * 1000;
    if (it != pools.end() && it->second.revision == revision &&
        (it->second.credentials_expire_ms == 0 ||
         clock.now_ms() < it->second.credentials_expire_ms - kCredentialsMarginMs)) {
      return it->second.pool;
    }
    if (it != pools.end()) {
      stale = it->second.pool;
    }
    auto root = code.task_root(t.code_hex);
    if (!root.ok()) {
      return nullptr;
    }
    if (!ensure_runtime_locked().ok()) {
      return nullptr;
    }
    std::string region = arn.substr(15, arn.find(':', 15) - 15);
    std::string runtime = str(t.config, "Runtime");
    auto family = runtime_family(runtime);
    int memory = static_cast<int>(num(t.config, "MemorySize", 128));
    LaunchPaths paths;
    paths.task_root = *root;
    paths.runtime_dir = runtime_dir;
    paths.python = options.python;
    paths.node = options.node;
    Launch launch = resolve_launch(family.ok() ? *family : RuntimeFamily::Python,
                                   str(t.config, "Handler"), paths, memory);
    PoolSpec spec;
    spec.worker.process.argv = launch.argv;
    int64_t credentials_expire_ms = 0;
    spec.worker.process.env = environment(t, *root, region, &credentials_expire_ms);
    for (const std::string& e : launch.env) {
      spec.worker.process.env.push_back(e);
    }
    spec.worker.process.cwd = *root;
    if (family.ok() && *family == RuntimeFamily::Python) {
      // glibc reserves 64 MB of address space per malloc arena; capping arenas keeps
      // RLIMIT_AS a memory limit rather than a thread limit.
      spec.worker.process.env.push_back("MALLOC_ARENA_MAX=2");
      spec.worker.process.address_space_bytes = static_cast<uint64_t>(memory + 128) << 20;
    }
    spec.worker.timeout_ms = static_cast<int>(num(t.config, "Timeout", 3) * 1000);
    spec.worker.memory_mb = memory;
    spec.worker.version = t.executed_version;
    std::string rt = runtime;
    if (rt.rfind("python", 0) == 0) {
      rt = "python:" + rt.substr(6) + ".v1";
    }
    spec.worker.runtime_version = rt;
    spec.max_workers = options.max_workers_per_function;
    std::string version = t.executed_version;
    const Clock* clk = &clock;
    spec.new_stream_name = [clk, version] {
      return log_stream_date(clk->now_ms()) + "/[" + version + "]" + random_hex(16);
    };
    LogSink* sink = ports.logs;
    std::string group = "/aws/lambda/" + str(t.config, "FunctionName");
    LogWriter writer = nullptr;
    if (sink != nullptr) {
      auto known = std::make_shared<std::mutex>();
      auto streams = std::make_shared<std::map<std::string, bool>>();
      writer = [sink, region, group, known, streams](const std::string& stream,
                                                     std::vector<LogLine> lines) {
        {
          std::lock_guard guard(*known);
          if (!(*streams)[stream]) {
            sink->ensure_stream(region, group, stream);
            (*streams)[stream] = true;
          }
        }
        sink->append(region, group, stream, std::move(lines));
      };
    }
    pool = std::make_shared<Pool>(std::move(spec), *ports.listeners, writer, clock);
    pools[arn] = PoolEntry{revision, pool, credentials_expire_ms};
  }
  if (stale) {
    stale->shutdown();
  }
  return pool;
}

void FunctionsService::Impl::run(const ResolvedTarget& t, const std::string& payload, bool log_tail,
                                 InvokeCallback done) {
  std::shared_ptr<Pool> pool = pool_for(t);
  if (!pool) {
    return done(make_error("ServiceException", "The function's environment could not start", 500));
  }
  Invocation inv;
  inv.request_id = uuid4();
  inv.payload = payload.empty() ? "null" : payload;
  inv.invoked_function_arn = t.invoked_arn;
  inv.trace_id = "Root=1-" + random_hex(4) + "-" + random_hex(12) + ";Sampled=0";
  std::string version = t.executed_version;
  pool->submit(std::move(inv), [done, version, log_tail](InvokeOutcome o) {
    InvokeResult r;
    r.status = 200;
    r.function_error = o.function_error;
    r.payload = std::move(o.payload);
    r.error_type = std::move(o.error_type);
    r.executed_version = version;
    if (log_tail) {
      std::string_view log = o.log;
      if (log.size() > kTailBytes) {
        log.remove_prefix(log.size() - kTailBytes);
      }
      r.log_tail = base64_encode(log);
    }
    done(std::move(r));
  });
}

void FunctionsService::invoke(const InvokeRequest& r, InvokeCallback done) {
  Impl& m = *impl_;
  auto t = m.resolve(r.ref);
  if (!t.ok()) {
    return done(t.error());
  }
  if (!r.payload.empty()) {
    auto p = json::parse(r.payload);
    if (!p.ok()) {
      return done(make_error("InvalidRequestContentException",
                             "Could not parse request body into json: Could not parse payload "
                             "into json: " +
                                 p.error,
                             400));
    }
  }
  if (r.type == InvocationType::DryRun) {
    InvokeResult res;
    res.status = 204;
    res.executed_version = t->executed_version;
    return done(res);
  }
  if (r.type == InvocationType::Event) {
    // Accepted durably first: a restart runs it then.
    store::JobRecord job;
    job.id = "lambda-async-" + uuid4();
    job.kind = std::string(kAsyncJobKind);
    job.owner = str(t->config, "FunctionArn");
    job.due_ms = m.clock.now_ms();
    job.payload = json::dump(json::Value::object(
        {{"Function", json::Value(t->invoked_arn)}, {"Payload", json::Value(r.payload)}}));
    m.store.put_job(job);
    store::Store* st = &m.store;
    std::string id = job.id;
    m.run(*t, r.payload, false, [st, id](Result<InvokeResult>) { st->delete_job(id); });
    InvokeResult res;
    res.status = 202;
    res.executed_version = t->executed_version;
    return done(res);
  }
  m.run(*t, r.payload, r.log_tail, std::move(done));
}

void FunctionsService::run_script(const ScriptRequest& r, InvokeCallback done) {
  Impl& m = *impl_;
  auto family = runtime_family(r.runtime);
  if (!family.ok() || *family == RuntimeFamily::Provided) {
    return done(make_error("InvalidInput", "Runtime " + r.runtime +
                                               " is not supported for scripts: use python3.x "
                                               "or nodejsNN.x."));
  }
  if (r.handler.empty() || r.handler.find_first_of("./ ") != std::string::npos) {
    return done(make_error("InvalidInput", "Handler must name a function of the script."));
  }
  if (!r.payload.empty()) {
    auto p = json::parse(r.payload);
    if (!p.ok()) {
      return done(make_error("InvalidInput", "InputPayload is not JSON: " + p.error));
    }
  }
  bool node = *family == RuntimeFamily::Node;
  auto code = m.code.put(make_zip({ZipEntry{node ? "script.js" : "script.py", r.source, 0644}}));
  if (!code.ok()) {
    return done(code.error());
  }
  // A pool per (source, runtime, handler): its name is a digest of the three.
  std::string name =
      "ssm-executeScript-" +
      to_hex(sha256_raw(code->hex + "\n" + r.runtime + "\n" + r.handler)).substr(0, 16);
  std::string region = r.region.empty() ? m.options.default_region : r.region;
  ResolvedTarget t;
  t.code_hex = code->hex;
  t.executed_version = "$LATEST";
  t.invoked_arn = m.arn(region, name);
  t.config = json::Value::object({
      {"FunctionName", json::Value(name)},
      {"FunctionArn", json::Value(t.invoked_arn)},
      {"Runtime", json::Value(r.runtime)},
      {"Role", json::Value(r.role)},
      {"Handler", json::Value("script." + r.handler)},
      {"Timeout", json::Value(r.timeout)},
      {"MemorySize", json::Value(r.memory_size)},
      {"RevisionId", json::Value("script")},
  });
  m.run(t, r.payload, false, std::move(done));
}

}  // namespace signoff::functions
