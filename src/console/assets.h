// The console's static files (src/console/assets/*), compiled into the binary by CMake
// (cmake/EmbedAssets.cmake writes assets_data.cc), each with a content hash for its ETag.
#pragma once

#include <cstddef>
#include <string_view>

namespace signoff::console {

struct Asset {
  std::string_view name;  // "console.js"
  std::string_view content_type;
  std::string_view body;
  std::string_view etag;  // "\"<16 hex digits of SHA-256>\""
};

const Asset* find_asset(std::string_view name);

}  // namespace signoff::console
