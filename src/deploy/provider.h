// A resource provider: how one CloudFormation resource type is created, updated and deleted
// through the service that owns it. One small file per type under resources/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::deploy {

struct ResourceContext {
  std::string region;
  std::string account;
  std::string stack_name;
  std::string stack_id;
  std::string logical_id;
  // Stable for this stack, logical id and replacement generation: "Stack-Logical-SUFFIX" and
  // "Logical-SUFFIX" (what CloudFormation generates when a name property is absent). Stable so
  // that a rollback after a crash can find a resource whose creation it did not see finish.
  std::string generated_name;        // Stack-Logical-SUFFIX (≤ 64 characters)
  std::string generated_short_name;  // Logical-SUFFIX
};

struct ProvidedResource {
  std::string physical_id;
  std::string ref;                                 // what Ref returns; "" → the physical id
  json::Value attributes = json::Value::object();  // for Fn::GetAtt
};

class ResourceProvider {
 public:
  virtual ~ResourceProvider() = default;
  virtual Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) = 0;
  // Top-level properties whose change needs a new physical resource (CloudFormation's "Update
  // requires: Replacement"); any other change is updated in place.
  virtual std::vector<std::string> replacement_properties() const { return {}; }
  virtual Result<ProvidedResource> update(const ResourceContext& ctx,
                                          const ProvidedResource& current,
                                          const json::Value& old_props,
                                          const json::Value& new_props) = 0;
  // physical_id "" when creation may have happened without being recorded (crash): delete by the
  // generated or given name when the type can, else do nothing. Deleting what is already gone
  // succeeds.
  virtual Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                              const json::Value& props) = 0;
};

using ProviderPtr = std::shared_ptr<ResourceProvider>;

// Helpers for providers reading resolved properties (numbers may arrive as strings from YAML).
std::string prop_string(const json::Value& props, std::string_view name,
                        std::string_view fallback = {});
std::optional<int64_t> prop_int(const json::Value& props, std::string_view name);
std::optional<bool> prop_bool(const json::Value& props, std::string_view name);
// An object property given either as a JSON object or as JSON text.
json::Value prop_json(const json::Value& props, std::string_view name);
// A document property (a policy, an event pattern) as the JSON text services take: an object is
// serialized, a string is passed as written; "" when absent.
std::string prop_document(const json::Value& props, std::string_view name);
// A string-to-string object (Environment.Variables, a tag map); scalars are stringified.
std::map<std::string, std::string> prop_map(const json::Value& props, std::string_view name);
// A list of strings (ManagedPolicyArns, Roles); a lone string is a list of one.
std::vector<std::string> prop_strings(const json::Value& props, std::string_view name);
// Whether a property differs between two property sets (absent and present differ).
bool prop_changed(const json::Value& a, const json::Value& b, std::string_view name);
// Tags: [{Key, Value}].
std::vector<std::pair<std::string, std::string>> prop_tags(const json::Value& props,
                                                           std::string_view name = "Tags");
// "Properties validation failed for resource X with message: ..." is the provider's way to
// reject; this keeps the handler wording in one place.
Error invalid_request(std::string message);
// The rejection of a resource without a required property, in CloudFormation's words.
Error missing_property(const ResourceContext& ctx, std::string_view name);

}  // namespace signoff::deploy
