// The local mail drop: without an SMTP relay (no --smtp-url), every mail SNS sends is written as
// one RFC 5322 file DIR/<time>-<n>.eml (what a mail client opens), so a newcomer reads the
// confirmation and approval mails without setting up a relay. HTTP deliveries still go out
// through the inner transport.
//
// Each file is written under a temporary name, synced, then renamed into place (and the folder
// synced), so a reader never sees half a mail; the delivery job is deleted only after that, as
// with SMTP, so a crash repeats a mail rather than losing it.
#pragma once

#include <memory>
#include <string>

#include "notify/transport.h"

namespace signoff::notify {

std::shared_ptr<Transport> make_mail_drop_transport(std::string dir,
                                                    std::shared_ptr<Transport> http);

}  // namespace signoff::notify
