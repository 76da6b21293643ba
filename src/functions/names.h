// Function names as Lambda accepts them: "name", "name:qualifier", the partial ARN
// "123456789012:function:name[:qualifier]" and the full ARN.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace signoff::functions {

struct FunctionRef {
  std::string region;   // from the ARN, else the caller's
  std::string account;  // from the ARN, else ""
  std::string name;
  std::string qualifier;  // "" when none was given
};

// Validation messages are Lambda's; a qualifier both derived and given must agree.
Result<FunctionRef> parse_function_ref(std::string_view text, std::string_view explicit_qualifier,
                                       std::string_view default_region);

std::string function_arn(std::string_view region, std::string_view account, std::string_view name);
bool valid_function_name(std::string_view name);
bool is_version_number(std::string_view q);

}  // namespace signoff::functions
