// Request ids: a random UUID (version 4 layout) per request, as AWS hands out in
// x-amzn-RequestId and ResponseMetadata.
#pragma once

#include <string>

namespace signoff::api {

std::string new_request_id();

}  // namespace signoff::api
