// Parameter Store's SecureString values sealed under the server's master key (DATA/master.key),
// with the same secret box IAM seals access keys with: a copy of the database alone opens none.
#pragma once

#include <memory>

#include "automation/parameter_store.h"
#include "iam/identity.h"

namespace signoff::app {

std::unique_ptr<automation::SecretSealer> make_parameter_sealer(const iam::MasterKey& key);

}  // namespace signoff::app
