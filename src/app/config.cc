#include "app/config.h"

#include <toml++/toml.h>

namespace signoff::app {

Result<FileConfig> load_config_file(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return make_error("InvalidConfig", path + ": " + std::string(e.description()));
  }
  FileConfig config;
  for (const auto& [key, node] : table) {
    std::string_view name = key.str();
    std::optional<std::string>* slot = name == "smtp-url"     ? &config.smtp_url
                                       : name == "mail-from"  ? &config.mail_from
                                       : name == "public-url" ? &config.public_url
                                                              : nullptr;
    if (slot == nullptr) {
      return make_error("InvalidConfig", path + ": unknown key '" + std::string(name) +
                                             "' (known: smtp-url, mail-from, public-url)");
    }
    if (!node.is_string()) {
      return make_error("InvalidConfig", path + ": '" + std::string(name) + "' must be a string");
    }
    *slot = std::string(*node.value<std::string_view>());
  }
  return config;
}

}  // namespace signoff::app
