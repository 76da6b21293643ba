// SSM Parameter Store: named values (String, StringList, SecureString) with a version history,
// in a hierarchy of /-separated paths.
//
// Storage: one store document per parameter (kind "ssm.parameter", key: the name) holding every
// version still kept (at most 100, as AWS keeps) and the tags, so an overwrite is one
// version-checked write and a reader never sees half of it. SecureString values are sealed by
// the SecretSealer port (the server's master key, as IAM seals its secrets) before they reach the
// store and opened only for WithDecryption; without it the sealed text is what the caller gets,
// as AWS hands out the KMS ciphertext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/store.h"

namespace signoff::automation {

// Seals SecureString values at rest (bound to the identity service's secret box in app/).
class SecretSealer {
 public:
  virtual ~SecretSealer() = default;
  virtual std::string seal(std::string_view plaintext) const = 0;
  // nullopt when the text was not sealed under this server's key.
  virtual std::optional<std::string> open(std::string_view sealed) const = 0;
};

struct ParameterTag {
  std::string key;
  std::string value;
};

struct PutParameterRequest {
  std::string name;
  std::string value;
  std::optional<std::string> type;  // String | StringList | SecureString
  std::optional<std::string> description;
  std::optional<std::string> key_id;
  bool overwrite = false;
  std::optional<std::string> allowed_pattern;
  std::optional<std::string> tier;       // Standard | Advanced | Intelligent-Tiering
  std::optional<std::string> data_type;  // text | aws:ec2:image | aws:ssm:integration
  std::vector<ParameterTag> tags;
};

// DescribeParameters' ParameterFilters (Filters are translated to these by the API edge), and
// GetParametersByPath's.
struct ParameterFilter {
  std::string key;     // Name | Type | KeyId | Path | Tier | DataType | tag:KEY
  std::string option;  // Equals | BeginsWith | Contains | Recursive | OneLevel ("" = Equals)
  std::vector<std::string> values;
};

struct ParameterPageRequest {
  std::string next_token;
  size_t max_results = 10;
};

struct ParameterOptions {
  std::string account = "000000000000";
  std::string region = "us-east-1";
};

class ParameterStore {
 public:
  ParameterStore(store::Store& store, const Clock& clock, const SecretSealer& sealer,
                 ParameterOptions options);

  // {"Version": N, "Tier": "..."}. caller_arn is recorded as LastModifiedUser.
  Result<json::Value> put(const PutParameterRequest& r, const std::string& caller_arn);
  // GetParameter: NAME, NAME:VERSION (a Selector) -> {"Parameter": {...}}.
  Result<json::Value> get(const std::string& name, bool decrypt);
  // GetParameters: {"Parameters": [...], "InvalidParameters": [...]}.
  Result<json::Value> get_many(const std::vector<std::string>& names, bool decrypt);
  Result<json::Value> get_by_path(const std::string& path, bool recursive, bool decrypt,
                                  const std::vector<ParameterFilter>& filters,
                                  const ParameterPageRequest& page);
  Result<Unit> remove(const std::string& name);
  // DeleteParameters: {"DeletedParameters": [...], "InvalidParameters": [...]}.
  Result<json::Value> remove_many(const std::vector<std::string>& names);
  Result<json::Value> describe(const std::vector<ParameterFilter>& filters,
                               const ParameterPageRequest& page);
  Result<json::Value> history(const std::string& name, bool decrypt,
                              const ParameterPageRequest& page);
  // The latest version's plaintext value and version (CloudFormation's {{resolve:ssm:...}} and
  // AWS::SSM::Parameter's attributes). NAME or NAME:VERSION.
  struct Resolved {
    std::string type;
    std::string value;
    int64_t version = 0;
  };
  Result<Resolved> resolve(const std::string& name);

  std::string arn(const std::string& name) const;

 private:
  store::Store& store_;
  const Clock& clock_;
  const SecretSealer& sealer_;
  ParameterOptions options_;
};

// The name rules PutParameter applies (pure; exposed for tests and the fuzz target): an error
// with AWS's type and text, or nothing.
std::optional<Error> check_parameter_name(const std::string& name);

}  // namespace signoff::automation
