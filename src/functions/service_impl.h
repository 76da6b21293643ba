// Internals of FunctionsService shared by its control-plane and invoke files.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "functions/code_store.h"
#include "functions/pool.h"
#include "functions/service.h"

namespace signoff::functions {

inline constexpr std::string_view kFunctionKind = "lambda.function";
inline constexpr std::string_view kVersionKind = "lambda.version";
inline constexpr std::string_view kAliasKind = "lambda.alias";
inline constexpr std::string_view kAsyncJobKind = "lambda.async";

struct LoadedFunction {
  store::DocumentRecord record;
  json::Value doc;  // {Configuration, Tags, Policies, NextVersion, Code}
};

// What one invocation runs: a configuration (of $LATEST or a version) and its package.
struct ResolvedTarget {
  json::Value config;
  std::string code_hex;
  std::string executed_version;
  std::string invoked_arn;  // as the caller named it (with an alias when it used one)
};

struct FunctionsService::Impl {
  store::Store& store;
  const Clock& clock;
  FunctionsOptions options;
  FunctionsPorts ports;
  CodeStore code;
  std::string runtime_dir;

  std::mutex pools_mu;
  struct PoolEntry {
    std::string revision;  // RevisionId + CodeSha256 it was built for
    std::shared_ptr<Pool> pool;
    int64_t credentials_expire_ms = 0;  // its workers' role credentials (0: never)
  };
  std::map<std::string, PoolEntry> pools;  // by qualified function ARN
  bool stopped = false;
  bool runtime_written = false;  // under pools_mu

  Impl(store::Store& s, const Clock& c, FunctionsOptions o, FunctionsPorts p)
      : store(s),
        clock(c),
        options(std::move(o)),
        ports(p),
        code(options.data_dir + "/functions/code"),
        runtime_dir(options.data_dir + "/functions/runtime") {}

  std::string key(const std::string& region, const std::string& name) const {
    return region + ":" + name;
  }
  std::string arn(const std::string& region, const std::string& name) const {
    return function_arn(region, options.account, name);
  }
  Error not_found(const FunctionRef& ref, bool qualified) const;
  Result<LoadedFunction> load(const FunctionRef& ref) const;
  Result<ResolvedTarget> resolve(const FunctionRef& ref) const;
  void retire_pools(const std::string& unqualified_arn);
  // The bootstraps in runtime_dir, written before the first worker spawns (whatever the order
  // in which the server starts listening and start() runs). Call with pools_mu held.
  Result<Unit> ensure_runtime_locked();
  std::shared_ptr<Pool> pool_for(const ResolvedTarget& t);
  void run(const ResolvedTarget& t, const std::string& payload, bool log_tail, InvokeCallback done);
  // The worker environment; *credentials_expire_ms gets the role credentials' expiry.
  std::vector<std::string> environment(const ResolvedTarget& t, const std::string& task_root,
                                       const std::string& region,
                                       int64_t* credentials_expire_ms) const;
};

std::string version_key(const std::string& fn_key, int64_t version);

}  // namespace signoff::functions
