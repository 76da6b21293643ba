#include "automation/service.h"

#include <cstdio>

#include "automation/impl.h"

namespace signoff::automation {

Tx::Step* Tx::step(const std::string& key) {
  for (Step& s : steps) {
    if (s.key == key) {
      return &s;
    }
  }
  return nullptr;
}

std::shared_ptr<std::mutex> AutomationService::Impl::lock_for(const std::string& exec_id) {
  std::lock_guard<std::mutex> g(locks_mu);
  auto& m = locks[exec_id];
  if (!m) {
    m = std::make_shared<std::mutex>();
  }
  return m;
}

std::string AutomationService::Impl::uuid() {
  uint64_t a = 0;
  uint64_t b = 0;
  {
    std::lock_guard<std::mutex> g(rng_mu);
    a = rng();
    b = rng();
  }
  a = (a & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  b = (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(
      buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xFFFF),
      static_cast<unsigned long long>(a & 0xFFFF), static_cast<unsigned long long>(b >> 48),
      static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

void AutomationService::Impl::kick() {
  {
    std::lock_guard<std::mutex> g(job_mu);
    kicked = true;
  }
  job_cv.notify_all();
}

AutomationService::AutomationService(store::Store& store, const Clock& clock, Ports ports,
                                     AutomationOptions options)
    : impl_(std::make_unique<Impl>(store, clock, ports, options)), options_(std::move(options)) {}

AutomationService::~AutomationService() {
  stop();
}

void AutomationService::start() {
  Impl& m = *impl_;
  if (m.job_thread.joinable()) {
    return;
  }
  m.stopping = false;
  m.job_thread = std::thread([&m] { m.job_loop(); });
}

void AutomationService::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> g(m.job_mu);
    m.stopping = true;
  }
  m.job_cv.notify_all();
  if (m.job_thread.joinable()) {
    m.job_thread.join();
  }
}

void AutomationService::set_public_url(const std::string& url) {
  options_.public_url = url;
  impl_->opts.public_url = url;
}

void AutomationService::run_due_jobs() {
  impl_->run_jobs_once();
}

}  // namespace signoff::automation
