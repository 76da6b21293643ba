// The Lambda service: functions, versions, aliases and resource policies as store documents,
// code as content-addressed zip files under DATA/functions/code (a document per function stays
// small; a package may be 50 MB), and invocations on warm worker pools (pool.h) that speak the
// Runtime API.
//
// Configurations travel as json::Value in AWS's FunctionConfiguration shape, so the API edge
// only renders them. Methods are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "functions/names.h"
#include "functions/ports.h"
#include "store/store.h"

namespace signoff::functions {

class Pool;

struct FunctionsOptions {
  std::string account = "000000000000";
  std::string default_region = "us-east-1";
  std::string data_dir;  // code lives in data_dir/functions
  std::string python = "/usr/bin/python3";
  std::string node = "/usr/bin/node";
  size_t max_workers_per_function = 10;
  // Signoff's own endpoint for the SDKs inside functions ("http://127.0.0.1:8765"); asked at
  // each worker start because the port is known only once the server listens.
  std::function<std::string()> endpoint;
};

struct FunctionsPorts {
  CredentialsProvider* credentials = nullptr;
  RuntimeListenerFactory* listeners = nullptr;
  LogSink* logs = nullptr;  // may be null: output is dropped
};

struct CreateFunctionRequest {
  std::string region;
  std::string name;
  std::string runtime;
  std::string handler;
  std::string role;
  std::string description;
  int timeout = 3;
  int memory_size = 128;
  std::optional<std::map<std::string, std::string>> environment;
  std::string zip;          // the package, as bytes
  std::string source_text;  // or: inline source (CloudFormation's ZipFile)
  bool publish = false;
  std::map<std::string, std::string> tags;
};

// UpdateFunctionConfiguration: only what is given changes.
struct UpdateConfigurationRequest {
  FunctionRef ref;
  std::optional<std::string> runtime, handler, role, description;
  std::optional<int> timeout, memory_size;
  std::optional<std::map<std::string, std::string>> environment;
  std::optional<std::string> revision_id;
};

struct PermissionRequest {
  FunctionRef ref;
  std::string statement_id;
  std::string action;
  std::string principal;
  std::string source_arn;
  std::string source_account;
  std::string revision_id;
};

enum class InvocationType { RequestResponse, Event, DryRun };

struct InvokeRequest {
  FunctionRef ref;
  std::string payload;  // JSON text; "" is null
  InvocationType type = InvocationType::RequestResponse;
  bool log_tail = false;
};

struct InvokeResult {
  int status = 200;
  bool function_error = false;
  std::string payload;
  std::string executed_version;
  std::string log_tail;  // base64 of the last 4 KB, when asked for
  std::string error_type;
};

using InvokeCallback = std::function<void(Result<InvokeResult>)>;

// One run of a script that is not a function (SSM Automation's aws:executeScript): the handler
// of a Python or Node source, on the same workers, bootstraps and limits as functions. Nothing
// is stored; scripts with the same source, runtime and handler share a warm pool.
struct ScriptRequest {
  std::string region;
  std::string runtime;  // python3.x | nodejsNN.x
  std::string handler;  // a function of the script: "script_handler"
  std::string source;
  std::string payload;  // JSON text, the handler's first argument
  std::string role;     // the credentials the script runs with ("" → none of a role)
  int timeout = 600;    // seconds (aws:executeScript's maximum)
  int memory_size = 512;
};

class FunctionsService {
 public:
  FunctionsService(store::Store& store, const Clock& clock, FunctionsOptions options,
                   FunctionsPorts ports);
  ~FunctionsService();
  FunctionsService(const FunctionsService&) = delete;
  FunctionsService& operator=(const FunctionsService&) = delete;

  // Writes the bootstraps, resumes queued asynchronous invocations.
  void start();
  // Kills every worker.
  void stop();

  Result<json::Value> create_function(const CreateFunctionRequest& r);
  // {Configuration, Code, Tags}.
  Result<json::Value> get_function(const FunctionRef& ref);
  Result<json::Value> get_configuration(const FunctionRef& ref);
  Result<json::Value> update_code(const FunctionRef& ref, const std::string& zip,
                                  const std::string& source_text, bool publish,
                                  const std::optional<std::string>& revision_id);
  Result<json::Value> update_configuration(const UpdateConfigurationRequest& r);
  Result<Unit> delete_function(const FunctionRef& ref);
  // {Functions, NextMarker?}.
  Result<json::Value> list_functions(const std::string& region, const std::string& marker,
                                     size_t max_items);
  Result<json::Value> publish_version(const FunctionRef& ref, const std::string& description);
  Result<json::Value> list_versions(const FunctionRef& ref);
  Result<json::Value> create_alias(const FunctionRef& ref, const std::string& alias,
                                   const std::string& version, const std::string& description);
  Result<json::Value> get_alias(const FunctionRef& ref, const std::string& alias);
  // {Statement: "<json>"}.
  Result<json::Value> add_permission(const PermissionRequest& r);
  Result<Unit> remove_permission(const FunctionRef& ref, const std::string& statement_id);
  // {Policy: "<json>", RevisionId}.
  Result<json::Value> get_policy(const FunctionRef& ref);

  // Invoke (the API and other services). done runs once, from any thread.
  void invoke(const InvokeRequest& r, InvokeCallback done);
  // A service principal invoking (events.amazonaws.com for a rule target): allowed only when
  // the function's resource policy allows lambda:InvokeFunction for that principal and source.
  void invoke_as_service(const std::string& function, const std::string& service_principal,
                         const std::string& source_arn, const std::string& payload, bool async,
                         InvokeCallback done);

  // aws:executeScript: runs r.handler(payload, context) of r.source; done as invoke's.
  void run_script(const ScriptRequest& r, InvokeCallback done);

  const FunctionsOptions& options() const { return options_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  FunctionsOptions options_;
};

}  // namespace signoff::functions
