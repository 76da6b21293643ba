#include "app/audit_verify.h"

#include <exception>

#include "automation/audit.h"
#include "store/store.h"

namespace signoff::app {

AuditVerifyResult verify_audit_log(const std::string& data_dir) {
  store::StorePtr store;
  try {
    store = store::open_sqlite_store(data_dir);
  } catch (const std::exception& e) {
    return {2, std::string("cannot open the store: ") + e.what()};
  }
  std::vector<automation::StoredRecord> records;
  std::string after;
  while (true) {
    auto page = store->list_documents(automation::kAuditKind, "", after, 1000);
    for (const store::DocumentRecord& r : page.items) {
      records.push_back({r.key, r.json});
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  auto head = store->get_document(automation::kAuditHeadKind, automation::kAuditHeadKey);
  auto report = automation::verify_chain(records, head ? head->json : "");
  if (!report.intact) {
    return {1, "chain broken at record " + report.broken_key + ": " + report.reason};
  }
  return {0, std::to_string(report.records) + " records, chain intact"};
}

}  // namespace signoff::app
