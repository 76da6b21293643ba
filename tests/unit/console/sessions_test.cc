// Sessions expire (idle and absolute) and lock-out bounds guessing, on a clock the test moves.
#include "console/sessions.h"

#include <gtest/gtest.h>

namespace signoff::console {
namespace {

class TestClock final : public Clock {
 public:
  int64_t now_ms() const override { return ms; }
  int64_t now_ns() const override { return ms * 1000000; }
  int64_t ms = 1000000;
};

TEST(Sessions, TokensAreRandomAndSessionsExpire) {
  TestClock clock;
  SessionTable table(clock, {.idle_ms = 1000, .max_ms = 5000});
  Principal p;
  p.arn = "arn:aws:iam::000000000000:user/a";
  Session s = table.create(p);
  EXPECT_EQ(s.id.size(), 64u);
  EXPECT_EQ(s.csrf.size(), 64u);
  EXPECT_NE(s.id, s.csrf);
  EXPECT_NE(table.create(p).id, s.id);
  for (int i = 0; i < 6; ++i) {  // kept alive by use, up to the absolute limit
    clock.ms += 900;
    EXPECT_EQ(table.find(s.id).has_value(), i < 5) << i;  // 5400 ms > max_ms
  }
  Session t = table.create(p);
  clock.ms += 600;
  EXPECT_TRUE(table.find(t.id, /*touch=*/false));  // an event stream's look keeps nothing alive
  clock.ms += 401;
  EXPECT_FALSE(table.find(t.id));  // idle too long
  Session u = table.create(p);
  Principal role;
  role.arn = "arn:aws:sts::000000000000:assumed-role/r/a";
  u.role = role;
  EXPECT_TRUE(table.update(u));
  EXPECT_EQ(table.find(u.id)->acting().arn, role.arn);
  table.remove(u.id);
  EXPECT_FALSE(table.find(u.id));
  EXPECT_FALSE(table.update(u));
}

TEST(LockOutTest, FiveFailuresLockForTheLockTime) {
  TestClock clock;
  LockOut lock(clock, {.max_failures = 3, .window_ms = 10000, .lock_ms = 60000});
  lock.failed("user:a");
  lock.failed("user:a");
  EXPECT_EQ(lock.locked_for("user:a"), 0);
  lock.failed("user:a");
  EXPECT_EQ(lock.locked_for("user:a"), 60000);
  EXPECT_EQ(lock.locked_for("user:b"), 0);  // per name
  clock.ms += 60000;
  EXPECT_EQ(lock.locked_for("user:a"), 0);
  // Failures further apart than the window do not add up.
  lock.failed("user:c");
  lock.failed("user:c");
  clock.ms += 10001;
  lock.failed("user:c");
  EXPECT_EQ(lock.locked_for("user:c"), 0);
  // Success forgets earlier failures.
  lock.failed("user:d");
  lock.failed("user:d");
  lock.succeeded("user:d");
  lock.failed("user:d");
  EXPECT_EQ(lock.locked_for("user:d"), 0);
}

}  // namespace
}  // namespace signoff::console
