// The SQLite backend joins the contract suite. A PostgreSQL backend adds its own instantiation.
#include "store_contract.h"

namespace signoff::store::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract,
                         ::testing::Values(Backend{"SQLite", open_sqlite_store}), backend_name);

}  // namespace
}  // namespace signoff::store::testing
