// The local mail drop read back (`signoff mail`): the .eml files under DATA/mail, oldest first.
// Reads files only, so it works while the server runs.
#pragma once

#include <string>
#include <vector>

#include "notify/mail_read.h"

namespace signoff::app {

struct DroppedMail {
  std::string path;
  notify::ReadMail mail;
};

std::vector<DroppedMail> read_mail_drop(const std::string& data_dir);

}  // namespace signoff::app
