#include "app/mail_box.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"

namespace signoff::app {

std::vector<DroppedMail> read_mail_drop(const std::string& data_dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(mail_drop_dir(data_dir), ec)) {
    if (entry.path().extension() == ".eml") {
      paths.push_back(entry.path().string());
    }
  }
  // Names start with the microsecond they were written: name order is arrival order.
  std::sort(paths.begin(), paths.end());
  std::vector<DroppedMail> out;
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back({p, notify::read_mail(text.str())});
  }
  return out;
}

}  // namespace signoff::app
