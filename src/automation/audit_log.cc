// Reading the audit log while the server runs: pages of records, and the chain check. Records
// and the head are written in one batch; the head is read first and only records up to its
// sequence are considered, so an append racing with the read is not mistaken for tampering.
#include "automation/audit.h"
#include "automation/impl.h"
#include "automation/service.h"

namespace signoff::automation {
namespace {

json::Value record_wire(const store::DocumentRecord& r) {
  json::ParseResult p = json::parse(r.json);
  json::Value v = p.ok() && p.value.is_object() ? p.value : json::Value::object();
  auto text = [&](std::string_view k) {
    const json::Value* m = v.find(k);
    return m && m->is_string() ? json::Value(m->as_string()) : json::Value("");
  };
  auto number = [&](std::string_view k) {
    const json::Value* m = v.find(k);
    return m && m->is_int() ? json::Value(m->as_int()) : json::Value(int64_t{0});
  };
  const json::Value* time = v.find("time");
  double seconds = time && time->is_int() ? static_cast<double>(time->as_int()) / 1000.0 : 0;
  return json::Value::object({{"Sequence", number("seq")},
                              {"Time", json::Value(seconds)},
                              {"Principal", text("principal")},
                              {"Decision", text("decision")},
                              {"Outcome", text("outcome")},
                              {"Comment", text("comment")},
                              {"SourceAddress", text("sourceAddress")},
                              {"AutomationExecutionId", text("executionId")},
                              {"StepExecutionId", text("stepExecutionId")},
                              {"StepName", text("stepName")},
                              {"DocumentName", text("documentName")},
                              {"PreviousHash", text("prevHash")},
                              {"Hash", json::Value(sha256_hex(r.json))}});
}

}  // namespace

Result<json::Value> AutomationService::list_audit_records(const std::string& next_token,
                                                          size_t max_results) {
  size_t want = max_results == 0 || max_results > 100 ? 100 : max_results;
  auto page = impl_->store.list_documents(kAuditKind, "", next_token, want);
  std::vector<json::Value> items;
  for (const store::DocumentRecord& r : page.items) {
    items.push_back(record_wire(r));
  }
  json::Value out = json::Value::object({{"Records", json::Value::array(std::move(items))}});
  if (!page.next_key.empty()) {
    out.set("NextToken", json::Value(page.next_key));
  }
  return out;
}

Result<json::Value> AutomationService::verify_audit_chain() {
  auto head = impl_->store.get_document(kAuditHeadKind, kAuditHeadKey);
  std::string head_text = head ? head->json : "";
  int64_t last = 0;
  if (head) {
    if (auto h = parse_head(head_text)) {
      last = h->seq;
    }
  }
  std::vector<StoredRecord> records;
  std::string after;
  std::string last_key = audit_key(last);
  while (true) {
    auto page = impl_->store.list_documents(kAuditKind, "", after, 1000);
    for (const store::DocumentRecord& r : page.items) {
      if (r.key > last_key) {
        break;  // appended after the head was read
      }
      records.push_back({r.key, r.json});
    }
    if (page.next_key.empty() || (!page.items.empty() && page.items.back().key >= last_key)) {
      break;
    }
    after = page.next_key;
  }
  ChainReport report = verify_chain(records, head_text);
  json::Value out = json::Value::object(
      {{"Intact", json::Value(report.intact)}, {"Records", json::Value(report.records)}});
  if (!report.intact) {
    out.set("BrokenRecord", json::Value(report.broken_key));
    out.set("Reason", json::Value(report.reason));
  }
  return out;
}

}  // namespace signoff::automation
