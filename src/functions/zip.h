// A small reader for the zip files Lambda accepts as function code: stored and deflated entries
// (zlib's raw inflate), CRC-checked, with unsafe paths and oversized archives refused. Why not
// libarchive/minizip: zlib is already there and Lambda zips use nothing beyond these two methods.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace signoff::functions {

struct ZipEntry {
  std::string path;  // relative, '/'-separated; directories end with '/'
  std::string data;
  uint32_t mode = 0644;  // unix permission bits when the archive recorded them
  bool is_directory() const { return !path.empty() && path.back() == '/'; }
};

struct ZipLimits {
  size_t max_total_bytes = 250u << 20;  // Lambda's unzipped deployment package limit
  size_t max_entries = 20000;
};

// Errors are InvalidParameterValueException with Lambda's message for a corrupt package.
Result<std::vector<ZipEntry>> read_zip(std::string_view bytes, ZipLimits limits = {});

// A zip holding one stored file (for inline source text given as CloudFormation's ZipFile).
std::string make_zip(const std::vector<ZipEntry>& entries);

}  // namespace signoff::functions
