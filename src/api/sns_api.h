// Amazon SNS over the query protocol (XML, xmlns http://sns.amazonaws.com/doc/2010-03-31/), plus
// the plain pages its links open: /sns/confirm, /sns/unsubscribe and the signing certificate.
#pragma once

#include "api/router.h"
#include "api/service_util.h"
#include "notify/service.h"

namespace signoff::api {

void register_sns_api(Router& router, notify::NotifyService& sns, BlockingPool& pool);

}  // namespace signoff::api
