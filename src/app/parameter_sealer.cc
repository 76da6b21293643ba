#include "app/parameter_sealer.h"

#include "iam/secret_box.h"

namespace signoff::app {

namespace {

class BoxSealer final : public automation::SecretSealer {
 public:
  explicit BoxSealer(const iam::MasterKey& key) : box_(key) {}
  std::string seal(std::string_view plaintext) const override { return box_.seal(plaintext); }
  std::optional<std::string> open(std::string_view sealed) const override {
    return box_.open(sealed);
  }

 private:
  iam::SecretBox box_;
};

}  // namespace

std::unique_ptr<automation::SecretSealer> make_parameter_sealer(const iam::MasterKey& key) {
  return std::make_unique<BoxSealer>(key);
}

}  // namespace signoff::app
