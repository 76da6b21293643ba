// Task tokens for the callback pattern (.waitForTaskToken) and activities.
//
// A token names one task attempt of one execution and is authenticated with a server key kept in
// the store: base64url(execution ARN, task id) "." base64url(HMAC-SHA256(key, that)). It is
// unguessable (a 256-bit keyed MAC; a client cannot forge one for another execution or attempt),
// needs no table lookup to find its execution, and is deterministic, so replaying an execution's
// journal re-mints the same tokens the history already shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::engine {

struct TokenTarget {
  std::string execution_arn;
  uint64_t task_id = 0;
};

class TaskTokens {
 public:
  // key: 32 random bytes (binary).
  explicit TaskTokens(std::string key) : key_(std::move(key)) {}

  std::string mint(std::string_view execution_arn, uint64_t task_id) const;
  // nullopt when malformed or the MAC does not match (InvalidToken).
  std::optional<TokenTarget> open(std::string_view token) const;
  // A keyed 64-bit value for seeding an execution's entropy: deterministic for replay, not
  // predictable from the ARN alone.
  uint64_t seed_for(std::string_view execution_arn) const;

 private:
  std::string key_;
};

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace signoff::engine
