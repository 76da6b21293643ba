// The approval audit log: append-only documents of kind "audit.record", keyed by a zero-padded
// sequence so key order is append order. Each record holds the SHA-256 (hex) of the previous
// record's stored text, so editing, removing or reordering any record breaks the chain from
// there on; the head document ("audit.head"/"head") holds the last sequence and hash, so
// truncating the tail is caught too. Pure apart from hashing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace signoff::automation {

inline constexpr const char* kAuditKind = "audit.record";
inline constexpr const char* kAuditHeadKind = "audit.head";
inline constexpr const char* kAuditHeadKey = "head";
// The previous-hash of the first record.
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string sha256_hex(std::string_view data);
std::string audit_key(int64_t seq);

struct AuditEntry {
  std::string principal;
  std::string decision;  // Approve | Reject (the signal)
  std::string outcome;   // Counted | NotCounted (a repeated decision)
  std::string comment;
  std::string source_address;
  std::string execution_id;
  std::string step_execution_id;
  std::string step_name;
  std::string document_name;
  int64_t time_ms = 0;
};

struct AuditHead {
  int64_t seq = 0;
  std::string hash = kGenesisHash;
};

std::optional<AuditHead> parse_head(const std::string& json_text);
std::string head_json(const AuditHead& head);
// The record text stored for entry number head.seq + 1.
std::string record_json(const AuditEntry& entry, const AuditHead& previous);

struct StoredRecord {
  std::string key;
  std::string json;
};

struct ChainReport {
  bool intact = true;
  int64_t records = 0;
  std::string broken_key;  // the first record that does not verify
  std::string reason;
};

// Walks records in key order; `head` is the head document's text ("" when absent).
ChainReport verify_chain(const std::vector<StoredRecord>& records, const std::string& head);

}  // namespace signoff::automation
