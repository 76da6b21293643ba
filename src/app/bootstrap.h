// The files of the identity bootstrap, beside the store in the data dir:
//   DATA/master.key    32 random bytes sealing secret access keys in the store (mode 0600)
//   DATA/credentials   the administrator's key in the AWS shared-credentials format, profile
//                      "signoff" (mode 0600), written once when the account is created
#pragma once

#include <optional>
#include <string>

#include "iam/identity.h"

namespace signoff::app {

// Reads DATA/master.key, creating it when absent. Throws std::runtime_error when it cannot be
// read or created, or is not 32 bytes.
iam::MasterKey load_or_create_master_key(const std::string& data_dir);

// The key of profile "signoff" (else of the file's only profile) in an AWS shared-credentials
// file. Throws std::runtime_error naming what is missing.
iam::AccessKeyPair read_credentials_file(const std::string& path);

// Writes the key as profile "signoff", mode 0600, replacing the file.
void write_credentials_file(const std::string& path, const iam::AccessKeyPair& key);

}  // namespace signoff::app
