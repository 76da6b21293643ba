#include "automation/audit.h"

#include <cstdio>

#include <openssl/evp.h>

namespace signoff::automation {

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

std::string audit_key(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(seq));
  return buf;
}

std::optional<AuditHead> parse_head(const std::string& text) {
  auto p = json::parse(text);
  if (!p.ok()) {
    return std::nullopt;
  }
  const json::Value* seq = p.value.find("seq");
  const json::Value* hash = p.value.find("hash");
  if (!seq || !seq->is_int() || !hash || !hash->is_string()) {
    return std::nullopt;
  }
  return AuditHead{seq->as_int(), std::string(hash->as_string())};
}

std::string head_json(const AuditHead& head) {
  return json::dump(
      json::Value::object({{"seq", json::Value(head.seq)}, {"hash", json::Value(head.hash)}}));
}

std::string record_json(const AuditEntry& e, const AuditHead& previous) {
  return json::dump(json::Value::object({
      {"seq", json::Value(previous.seq + 1)},
      {"time", json::Value(e.time_ms)},
      {"principal", json::Value(e.principal)},
      {"decision", json::Value(e.decision)},
      {"outcome", json::Value(e.outcome)},
      {"comment", json::Value(e.comment)},
      {"sourceAddress", json::Value(e.source_address)},
      {"executionId", json::Value(e.execution_id)},
      {"stepExecutionId", json::Value(e.step_execution_id)},
      {"stepName", json::Value(e.step_name)},
      {"documentName", json::Value(e.document_name)},
      {"prevHash", json::Value(previous.hash)},
  }));
}

ChainReport verify_chain(const std::vector<StoredRecord>& records, const std::string& head) {
  ChainReport r;
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  for (const StoredRecord& rec : records) {
    auto fail = [&](std::string why) {
      r.intact = false;
      r.broken_key = rec.key;
      r.reason = std::move(why);
      return r;
    };
    auto p = json::parse(rec.json);
    if (!p.ok() || !p.value.is_object()) {
      return fail("record is not valid JSON");
    }
    const json::Value* seq = p.value.find("seq");
    const json::Value* ph = p.value.find("prevHash");
    if (!seq || !seq->is_int() || seq->as_int() != expected_seq ||
        rec.key != audit_key(expected_seq)) {
      return fail("expected sequence " + std::to_string(expected_seq));
    }
    if (!ph || !ph->is_string() || ph->as_string() != prev) {
      return fail("previous-record hash does not match");
    }
    prev = sha256_hex(rec.json);
    ++expected_seq;
    ++r.records;
  }
  auto h = head.empty() ? std::optional<AuditHead>(AuditHead{}) : parse_head(head);
  if (!h || h->seq != r.records || h->hash != prev) {
    r.intact = false;
    r.broken_key = audit_key(r.records + 1);
    r.reason = "the log ends before the head (" + std::to_string(h ? h->seq : -1) +
               " records) or the last record was altered";
  }
  return r;
}

}  // namespace signoff::automation
