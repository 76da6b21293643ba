// `signoff audit verify`: checks the approval audit log's hash chain in a data directory.
#pragma once

#include <string>

namespace signoff::app {

struct AuditVerifyResult {
  int exit_code = 0;  // 0 intact, 1 broken, 2 could not open the store
  std::string message;
};

// Opens the store (it must not be in use by a running server: the data directory is locked).
AuditVerifyResult verify_audit_log(const std::string& data_dir);

}  // namespace signoff::app
