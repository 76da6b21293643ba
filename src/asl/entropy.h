// Randomness is injected so that a saved history replays to the same state.
#pragma once

#include <cstdint>

namespace signoff::asl {

class Entropy {
 public:
  virtual ~Entropy() = default;
  virtual uint64_t next_u64() = 0;
};

// Deterministic generator (splitmix64) for tests, replays and in-memory runs.
class SeededEntropy final : public Entropy {
 public:
  explicit SeededEntropy(uint64_t seed) : state_(seed) {}
  uint64_t next_u64() override {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace signoff::asl
