// Signoff's own API for the approval audit log (no AWS service has one): AWS JSON 1.1 with
// X-Amz-Target "SignoffAudit.<Operation>", signed for service "signoff", authorized as
// signoff:ListAuditRecords and signoff:VerifyAuditChain on "*".
//   ListAuditRecords {MaxResults?, NextToken?} → {Records: [...], NextToken?}
//   VerifyAuditChain {} → {Intact, Records, BrokenRecord?, Reason?}
#pragma once

#include "api/router.h"
#include "automation/service.h"

namespace signoff::api {

void register_audit_api(Router& router, automation::AutomationService& service);

}  // namespace signoff::api
