// `signoff serve --config FILE`: a small TOML file for settings that do not belong on a command
// line (an SMTP password) or that a deployment wants to keep. Keys are the long flag names:
//
//   smtp-url   = "smtp://user:secret@relay.example.com:587?starttls=required"
//   mail-from  = "Approvals <approvals@example.com>"
//   public-url = "https://signoff.example.com"
//
// A flag given on the command line wins over the file.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"

namespace signoff::app {

struct FileConfig {
  std::optional<std::string> smtp_url;
  std::optional<std::string> mail_from;
  std::optional<std::string> public_url;
};

// Errors say which file and key; values are never echoed (smtp-url may hold a password).
Result<FileConfig> load_config_file(const std::string& path);

}  // namespace signoff::app
