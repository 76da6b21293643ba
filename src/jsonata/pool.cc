#include "jsonata/pool.h"

namespace signoff::jsonata::pool_detail {

Lists::~Lists() {
  t_lists_dead = true;
  for (size_t c = 0; c < kClasses; ++c) {
    while (head[c] != nullptr) {
      FreeBlock* b = head[c];
      head[c] = b->next;
      std::free(b);
    }
    count[c] = 0;
  }
}

}  // namespace signoff::jsonata::pool_detail
