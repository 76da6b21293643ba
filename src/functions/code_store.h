// Function packages on disk, content-addressed: DIR/<sha256-hex>.zip as uploaded and
// DIR/<sha256-hex>/ extracted (LAMBDA_TASK_ROOT). Written to a temporary name, synced and
// renamed, so a crash never leaves a half package under the final name; a package shared by
// several functions or versions is stored once.
#pragma once

#include <string>

#include "common/result.h"

namespace signoff::functions {

struct StoredCode {
  std::string hex;     // file name
  std::string sha256;  // base64, as CodeSha256
  int64_t size = 0;    // CodeSize: the zip's bytes
};

class CodeStore {
 public:
  explicit CodeStore(std::string dir) : dir_(std::move(dir)) {}
  // Validates the zip, writes and extracts it.
  Result<StoredCode> put(const std::string& zip);
  // The extracted directory (re-extracted from the zip when missing).
  Result<std::string> task_root(const std::string& hex);
  std::string zip_path(const std::string& hex) const { return dir_ + "/" + hex + ".zip"; }

 private:
  Result<std::string> extract(const std::string& hex, const std::string& zip);
  std::string dir_;
};

}  // namespace signoff::functions
