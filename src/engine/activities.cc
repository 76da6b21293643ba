// Activities: named queues of tasks that outside workers take with GetActivityTask (a long
// poll) and complete with SendTask*. A task handed to a worker is claimed in the store, so a
// restart does not hand it out a second time.
#include "engine/engine_impl.h"

namespace signoff::engine {

namespace {

Error activity_missing(const std::string& arn) {
  return make_error("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
}

std::string task_job_id(const std::string& arn, uint64_t id) {
  return "k/" + arn + "/" + std::to_string(id);
}

}  // namespace

void Engine::Impl::enqueue_activity(const std::string& activity_arn, QueuedActivityTask task) {
  ActivityWaiter waiter;
  {
    std::lock_guard lock(activities_mu);
    ActivityQueue& q = activities[activity_arn];
    if (q.waiters.empty()) {
      q.tasks.push_back(std::move(task));
      return;
    }
    waiter = std::move(q.waiters.front());
    q.waiters.pop_front();
  }
  pool.post([this, waiter = std::move(waiter), task = std::move(task)] {
    if (LivePtr lp = task.live.lock()) {
      hand_to_worker(lp, task.task_id, waiter.worker_name);
    }
    waiter.done(std::optional<ActivityTask>(ActivityTask{task.token, task.input}));
  });
}

void Engine::Impl::hand_to_worker(const LivePtr& lp, uint64_t task_id, const std::string& worker) {
  if (lp->durable) {
    store.claim_job(task_job_id(lp->rec.arn, task_id), worker);
  }
  asl::Input in;
  in.kind = asl::Input::Kind::ActivityStarted;
  in.id = task_id;
  in.worker_name = worker;
  deliver(lp, std::move(in));
}

Result<store::ActivityRecord> Engine::create_activity(const std::string& region,
                                                      const std::string& name,
                                                      const std::vector<store::Tag>& tags) {
  if (!valid_resource_name(name)) {
    return make_error("InvalidName", "Invalid Name: '" + name + "'");
  }
  store::ActivityRecord a;
  a.arn = "arn:aws:states:" + (region.empty() ? options_.default_region : region) + ":" +
          options_.account + ":activity:" + name;
  a.name = name;
  a.creation_date_ms = impl_->clock.now_ms();
  if (impl_->store.create_activity(a) == store::WriteStatus::AlreadyExists) {
    // CreateActivity is idempotent.
    if (auto existing = impl_->store.get_activity(a.arn)) {
      return *existing;
    }
  }
  if (!tags.empty()) {
    impl_->store.set_tags(a.arn, tags);
  }
  return a;
}

Result<store::ActivityRecord> Engine::describe_activity(const std::string& arn) {
  auto a = impl_->store.get_activity(arn);
  if (!a) {
    return activity_missing(arn);
  }
  return *a;
}

Result<Unit> Engine::delete_activity(const std::string& arn) {
  impl_->store.delete_activity(arn);
  return Unit{};
}

Result<store::Page<store::ActivityRecord>> Engine::list_activities(const std::string& next_token,
                                                                   size_t limit) {
  return impl_->store.list_activities(next_token, limit);
}

void Engine::get_activity_task(const std::string& activity_arn, const std::string& worker_name,
                               int wait_seconds,
                               std::function<void(Result<std::optional<ActivityTask>>)> done) {
  if (!impl_->store.get_activity(activity_arn)) {
    done(activity_missing(activity_arn));
    return;
  }
  Impl& im = *impl_;
  for (;;) {
    QueuedActivityTask task;
    uint64_t waiter_id = 0;
    {
      std::lock_guard lock(im.activities_mu);
      ActivityQueue& q = im.activities[activity_arn];
      if (q.tasks.empty()) {
        waiter_id = im.next_waiter_id++;
        q.waiters.push_back(ActivityWaiter{waiter_id, worker_name, std::move(done)});
      } else {
        task = std::move(q.tasks.front());
        q.tasks.pop_front();
      }
    }
    if (waiter_id != 0) {
      im.timers.add(im.clock.now_ms() + int64_t(wait_seconds) * 1000, kPollExpiry, waiter_id,
                    nullptr);
      return;
    }
    LivePtr lp = task.live.lock();
    if (!lp) {
      continue;
    }
    {
      std::lock_guard lock(lp->mu);
      if (lp->done || lp->tasks.count(task.task_id) == 0) {
        continue;  // stale: the execution ended or the task timed out while queued
      }
    }
    im.hand_to_worker(lp, task.task_id, worker_name);
    done(std::optional<ActivityTask>(ActivityTask{task.token, task.input}));
    return;
  }
}

}  // namespace signoff::engine
