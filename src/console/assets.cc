#include "console/assets.h"

namespace signoff::console {

// Defined in the generated assets_data.cc.
extern const Asset kAssets[];
extern const size_t kAssetCount;

const Asset* find_asset(std::string_view name) {
  for (size_t i = 0; i < kAssetCount; ++i) {
    if (kAssets[i].name == name) {
      return &kAssets[i];
    }
  }
  return nullptr;
}

}  // namespace signoff::console
