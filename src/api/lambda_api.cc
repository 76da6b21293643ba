// AWS Lambda (REST-JSON under /2015-03-31/): request shapes in, FunctionsService calls, response
// shapes out. Operations that write (or invoke) run on the blocking pool.
#include "api/lambda_api.h"

#include "api/protocol/json_protocol.h"
#include "functions/util.h"

namespace signoff::api {

namespace {

using functions::FunctionRef;
using functions::FunctionsService;

AwsError aws(const signoff::Error& e) {
  return AwsError{e.status, e.type, e.message};
}

Result<FunctionRef> ref_of(const RequestContext& ctx, const RestRequest& req,
                           const std::string& qualifier = {}) {
  const std::string* name = req.label("FunctionName");
  std::string q = qualifier.empty() ? req.query.get_or("Qualifier") : qualifier;
  auto ref = functions::parse_function_ref(name != nullptr ? *name : "", q, ctx.region);
  if (!ref.ok()) {
    return aws(ref.error());
  }
  return *ref;
}

Result<RestResponse> json_or_error(const signoff::Result<json::Value>& r, int status = 200) {
  if (!r.ok()) {
    return aws(r.error());
  }
  return RestResponse::json(*r, status);
}

std::optional<std::map<std::string, std::string>> read_environment(JsonReader& in) {
  auto env = in.optional_object("Environment");
  if (!env) {
    return std::nullopt;
  }
  std::map<std::string, std::string> vars;
  if (const json::Value* v = env->find("Variables"); v != nullptr && v->is_object()) {
    for (const json::Member& m : v->as_object()) {
      if (m.value.is_string()) {
        vars[m.key] = std::string(m.value.as_string());
      }
    }
  }
  return vars;
}

// Code.ZipFile arrives base64 in JSON; anything else that is not base64 is Lambda's error.
Result<std::string> decode_zip(const std::string& text) {
  auto bytes = functions::base64_decode(text);
  if (!bytes) {
    return AwsError{400, "InvalidParameterValueException",
                    "Could not unzip uploaded file. Please check your file, then try to upload "
                    "again."};
  }
  return *bytes;
}

template <typename F>
RestOperation blocking(BlockingPool& pool, F fn) {
  return RestOperation([&pool, fn](const RequestContext& ctx, RestRequest req, RestReply reply) {
    offload(pool, reply, [ctx, req = std::move(req), reply, fn]() { reply(fn(ctx, req)); });
  });
}

// The function an operation acts on, as an IAM resource: arn:aws:lambda:REGION:ACCOUNT:function:
// NAME, with :QUALIFIER when the caller named a version or alias (in the name or as Qualifier)
// and the operation acts on that version or alias, as Lambda matches policies: an unqualified
// ARN in a policy does not cover function:NAME:1. A name Lambda would refuse still yields an ARN
// (with the text as given), so the check fails closed and allowed callers get the handler's
// validation error.
std::string function_resource(const RequestContext& ctx, const std::string& text,
                              const std::string& qualifier, bool qualified) {
  auto ref = functions::parse_function_ref(text, qualifier, ctx.region);
  if (!ref.ok()) {
    return functions::function_arn(ctx.region, ctx.account, text);
  }
  std::string arn = functions::function_arn(
      ref->region, ref->account.empty() ? ctx.account : ref->account, ref->name);
  if (qualified && !ref->qualifier.empty()) {
    arn += ":" + ref->qualifier;
  }
  return arn;
}

// What each operation must be allowed to do, per the Lambda entry of the Service Authorization
// Reference (Invoke is lambda:InvokeFunction). ListFunctions has no resource type ("*").
RestPermissions lambda_permissions() {
  using Resource = std::function<std::string(const RequestContext&, const RestRequest&)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<RestRequest>{std::string("lambda:") + action, std::move(r)};
  };
  auto function = [](bool qualified) -> Resource {
    return [qualified](const RequestContext& ctx, const RestRequest& req) {
      const std::string* name = req.label("FunctionName");
      return function_resource(ctx, name != nullptr ? *name : "", req.query.get_or("Qualifier"),
                               qualified);
    };
  };
  // CreateFunction names its function in the body.
  Resource created = [](const RequestContext& ctx, const RestRequest& req) {
    std::string name;
    if (auto body = decode_json_body(req.body()); body.ok()) {
      if (const json::Value* v = body->find("FunctionName"); v != nullptr && v->is_string()) {
        name = std::string(v->as_string());
      }
    }
    return function_resource(ctx, name, "", false);
  };
  return {
      {"CreateFunction", perm("CreateFunction", created)},
      {"ListFunctions", perm("ListFunctions", nullptr)},
      {"GetFunction", perm("GetFunction", function(true))},
      {"GetFunctionConfiguration", perm("GetFunctionConfiguration", function(true))},
      {"DeleteFunction", perm("DeleteFunction", function(true))},
      {"UpdateFunctionCode", perm("UpdateFunctionCode", function(false))},
      {"UpdateFunctionConfiguration", perm("UpdateFunctionConfiguration", function(false))},
      {"Invoke", perm("InvokeFunction", function(true))},
      {"AddPermission", perm("AddPermission", function(true))},
      {"GetPolicy", perm("GetPolicy", function(true))},
      {"RemovePermission", perm("RemovePermission", function(true))},
      {"PublishVersion", perm("PublishVersion", function(false))},
      {"ListVersionsByFunction", perm("ListVersionsByFunction", function(false))},
      {"CreateAlias", perm("CreateAlias", function(false))},
      {"GetAlias", perm("GetAlias", function(false))},
  };
}

}  // namespace

void register_lambda_api(Router& router, FunctionsService& svc, BlockingPool& pool) {
  std::vector<RestRoute> routes;
  const std::string base = "/2015-03-31/functions";

  routes.push_back(
      {"POST", base, "CreateFunction",
       blocking(pool,
                [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
                  auto body = decode_json_body(req.body());
                  if (!body.ok()) {
                    return std::move(body).error();
                  }
                  JsonReader in(*body);
                  functions::CreateFunctionRequest r;
                  r.region = ctx.region;
                  r.name = in.required_string("FunctionName", {1, 140});
                  r.runtime = in.optional_string("Runtime").value_or("");
                  r.handler = in.optional_string("Handler", {0, 128}).value_or("");
                  r.role = in.required_string("Role", {1, 2048});
                  r.description = in.optional_string("Description", {0, 256}).value_or("");
                  r.timeout = static_cast<int>(in.optional_int("Timeout").value_or(3));
                  r.memory_size = static_cast<int>(in.optional_int("MemorySize").value_or(128));
                  r.publish = in.optional_bool("Publish").value_or(false);
                  r.environment = read_environment(in);
                  auto code = in.optional_object("Code");
                  if (!code) {
                    in.add_violation("code", "null", "Member must not be null");
                  }
                  if (auto tags = in.optional_object("Tags")) {
                    for (const json::Member& m : tags->as_object()) {
                      if (m.value.is_string()) {
                        r.tags[m.key] = std::string(m.value.as_string());
                      }
                    }
                  }
                  if (auto e = in.error()) {
                    return *e;
                  }
                  if (const json::Value* zip = code->find("ZipFile");
                      zip != nullptr && zip->is_string()) {
                    auto bytes = decode_zip(std::string(zip->as_string()));
                    if (!bytes.ok()) {
                      return std::move(bytes).error();
                    }
                    r.zip = *bytes;
                  } else if (code->find("S3Bucket") != nullptr) {
                    return AwsError{400, "InvalidParameterValueException",
                                    "Signoff does not store code in S3; pass Code.ZipFile"};
                  }
                  return json_or_error(svc.create_function(r), 201);
                })});

  routes.push_back(
      {"GET", base, "ListFunctions",
       RestOperation(
           [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
             size_t max = 50;
             if (const std::string* m = req.query.get("MaxItems")) {
               max = static_cast<size_t>(std::strtoul(m->c_str(), nullptr, 10));
               if (max == 0 || max > 10000) {
                 max = 50;
               }
             }
             return json_or_error(svc.list_functions(ctx.region, req.query.get_or("Marker"), max));
           })});

  routes.push_back({"GET", base + "/{FunctionName}", "GetFunction",
                    RestOperation([&svc](const RequestContext& ctx,
                                         const RestRequest& req) -> Result<RestResponse> {
                      auto ref = ref_of(ctx, req);
                      if (!ref.ok()) {
                        return std::move(ref).error();
                      }
                      return json_or_error(svc.get_function(*ref));
                    })});

  routes.push_back({"GET", base + "/{FunctionName}/configuration", "GetFunctionConfiguration",
                    RestOperation([&svc](const RequestContext& ctx,
                                         const RestRequest& req) -> Result<RestResponse> {
                      auto ref = ref_of(ctx, req);
                      if (!ref.ok()) {
                        return std::move(ref).error();
                      }
                      return json_or_error(svc.get_configuration(*ref));
                    })});

  routes.push_back(
      {"DELETE", base + "/{FunctionName}", "DeleteFunction",
       blocking(pool,
                [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
                  auto ref = ref_of(ctx, req);
                  if (!ref.ok()) {
                    return std::move(ref).error();
                  }
                  auto r = svc.delete_function(*ref);
                  if (!r.ok()) {
                    return aws(r.error());
                  }
                  RestResponse out;
                  out.status = 204;
                  return out;
                })});

  routes.push_back(
      {"PUT", base + "/{FunctionName}/code", "UpdateFunctionCode",
       blocking(pool,
                [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
                  auto ref = ref_of(ctx, req);
                  if (!ref.ok()) {
                    return std::move(ref).error();
                  }
                  auto body = decode_json_body(req.body());
                  if (!body.ok()) {
                    return std::move(body).error();
                  }
                  JsonReader in(*body);
                  auto zip_text = in.optional_string("ZipFile");
                  bool publish = in.optional_bool("Publish").value_or(false);
                  auto revision = in.optional_string("RevisionId");
                  if (auto e = in.error()) {
                    return *e;
                  }
                  std::string zip;
                  if (zip_text) {
                    auto bytes = decode_zip(*zip_text);
                    if (!bytes.ok()) {
                      return std::move(bytes).error();
                    }
                    zip = *bytes;
                  }
                  return json_or_error(svc.update_code(*ref, zip, "", publish, revision));
                })});

  routes.push_back(
      {"PUT", base + "/{FunctionName}/configuration", "UpdateFunctionConfiguration",
       blocking(pool,
                [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
                  auto ref = ref_of(ctx, req);
                  if (!ref.ok()) {
                    return std::move(ref).error();
                  }
                  auto body = decode_json_body(req.body());
                  if (!body.ok()) {
                    return std::move(body).error();
                  }
                  JsonReader in(*body);
                  functions::UpdateConfigurationRequest r;
                  r.ref = *ref;
                  r.runtime = in.optional_string("Runtime");
                  r.handler = in.optional_string("Handler", {0, 128});
                  r.role = in.optional_string("Role");
                  r.description = in.optional_string("Description", {0, 256});
                  if (auto t = in.optional_int("Timeout")) {
                    r.timeout = static_cast<int>(*t);
                  }
                  if (auto m = in.optional_int("MemorySize")) {
                    r.memory_size = static_cast<int>(*m);
                  }
                  r.environment = read_environment(in);
                  r.revision_id = in.optional_string("RevisionId");
                  if (auto e = in.error()) {
                    return *e;
                  }
                  return json_or_error(svc.update_configuration(r));
                })});

  routes.push_back(
      {"POST", base + "/{FunctionName}/invocations", "Invoke",
       RestOperation([&svc, &pool](const RequestContext& ctx, RestRequest req, RestReply reply) {
         auto ref = ref_of(ctx, req);
         if (!ref.ok()) {
           return reply.fail(std::move(ref).error());
         }
         functions::InvokeRequest r;
         r.ref = *ref;
         r.payload = req.body();
         std::string type = "RequestResponse";
         if (const std::string* t = req.http->header("X-Amz-Invocation-Type")) {
           type = *t;
         }
         if (type == "Event") {
           r.type = functions::InvocationType::Event;
         } else if (type == "DryRun") {
           r.type = functions::InvocationType::DryRun;
         } else if (type != "RequestResponse") {
           return reply.fail(AwsError{400, "InvalidParameterValueException",
                                      "1 validation error detected: Value '" + type +
                                          "' at 'invocationType' failed to satisfy constraint: "
                                          "Member must satisfy enum value set: [Event, "
                                          "RequestResponse, DryRun]"});
         }
         if (const std::string* l = req.http->header("X-Amz-Log-Type")) {
           r.log_tail = *l == "Tail";
         }
         offload(pool, reply, [&svc, r, reply] {
           svc.invoke(r, [reply](signoff::Result<functions::InvokeResult> res) {
             if (!res.ok()) {
               return reply.fail(aws(res.error()));
             }
             RestResponse out;
             out.status = res->status;
             out.headers.push_back({"Content-Type", "application/json"});
             if (!res->executed_version.empty()) {
               out.headers.push_back({"X-Amz-Executed-Version", res->executed_version});
             }
             if (res->function_error) {
               out.headers.push_back({"X-Amz-Function-Error", "Unhandled"});
             }
             if (!res->log_tail.empty()) {
               out.headers.push_back({"X-Amz-Log-Result", res->log_tail});
             }
             out.body = res->status == 200 ? std::move(res->payload) : std::string();
             reply.ok(std::move(out));
           });
         });
       })});

  routes.push_back(
      {"POST", base + "/{FunctionName}/policy", "AddPermission",
       blocking(pool,
                [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
                  auto ref = ref_of(ctx, req);
                  if (!ref.ok()) {
                    return std::move(ref).error();
                  }
                  auto body = decode_json_body(req.body());
                  if (!body.ok()) {
                    return std::move(body).error();
                  }
                  JsonReader in(*body);
                  functions::PermissionRequest r;
                  r.ref = *ref;
                  r.statement_id = in.required_string("StatementId", {1, 100});
                  r.action = in.required_string("Action");
                  r.principal = in.required_string("Principal");
                  r.source_arn = in.optional_string("SourceArn").value_or("");
                  r.source_account = in.optional_string("SourceAccount").value_or("");
                  r.revision_id = in.optional_string("RevisionId").value_or("");
                  if (auto e = in.error()) {
                    return *e;
                  }
                  return json_or_error(svc.add_permission(r), 201);
                })});

  routes.push_back({"GET", base + "/{FunctionName}/policy", "GetPolicy",
                    RestOperation([&svc](const RequestContext& ctx,
                                         const RestRequest& req) -> Result<RestResponse> {
                      auto ref = ref_of(ctx, req);
                      if (!ref.ok()) {
                        return std::move(ref).error();
                      }
                      return json_or_error(svc.get_policy(*ref));
                    })});

  routes.push_back(
      {"DELETE", base + "/{FunctionName}/policy/{StatementId}", "RemovePermission",
       blocking(pool,
                [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
                  auto ref = ref_of(ctx, req);
                  if (!ref.ok()) {
                    return std::move(ref).error();
                  }
                  const std::string* sid = req.label("StatementId");
                  auto r = svc.remove_permission(*ref, sid != nullptr ? *sid : "");
                  if (!r.ok()) {
                    return aws(r.error());
                  }
                  RestResponse out;
                  out.status = 204;
                  return out;
                })});

  routes.push_back(
      {"POST", base + "/{FunctionName}/versions", "PublishVersion",
       blocking(
           pool, [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
             auto ref = ref_of(ctx, req);
             if (!ref.ok()) {
               return std::move(ref).error();
             }
             auto body = decode_json_body(req.body());
             if (!body.ok()) {
               return std::move(body).error();
             }
             JsonReader in(*body);
             std::string description = in.optional_string("Description", {0, 256}).value_or("");
             if (auto e = in.error()) {
               return *e;
             }
             return json_or_error(svc.publish_version(*ref, description), 201);
           })});

  routes.push_back({"GET", base + "/{FunctionName}/versions", "ListVersionsByFunction",
                    RestOperation([&svc](const RequestContext& ctx,
                                         const RestRequest& req) -> Result<RestResponse> {
                      auto ref = ref_of(ctx, req);
                      if (!ref.ok()) {
                        return std::move(ref).error();
                      }
                      return json_or_error(svc.list_versions(*ref));
                    })});

  routes.push_back(
      {"POST", base + "/{FunctionName}/aliases", "CreateAlias",
       blocking(
           pool, [&svc](const RequestContext& ctx, const RestRequest& req) -> Result<RestResponse> {
             auto ref = ref_of(ctx, req);
             if (!ref.ok()) {
               return std::move(ref).error();
             }
             auto body = decode_json_body(req.body());
             if (!body.ok()) {
               return std::move(body).error();
             }
             JsonReader in(*body);
             std::string name = in.required_string("Name", {1, 128});
             std::string version = in.required_string("FunctionVersion", {1, 1024});
             std::string description = in.optional_string("Description", {0, 256}).value_or("");
             if (auto e = in.error()) {
               return *e;
             }
             return json_or_error(svc.create_alias(*ref, name, version, description), 201);
           })});

  routes.push_back({"GET", base + "/{FunctionName}/aliases/{Name}", "GetAlias",
                    RestOperation([&svc](const RequestContext& ctx,
                                         const RestRequest& req) -> Result<RestResponse> {
                      auto ref = ref_of(ctx, req);
                      if (!ref.ok()) {
                        return std::move(ref).error();
                      }
                      const std::string* name = req.label("Name");
                      return json_or_error(svc.get_alias(*ref, name != nullptr ? *name : ""));
                    })});

  router.add_rest_json_service("lambda", std::move(routes), lambda_permissions());
}

}  // namespace signoff::api
