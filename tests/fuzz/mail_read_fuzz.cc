// Fuzzes reading mail back from the drop folder (`signoff mail` reads whatever files are there):
// headers, encoded words, quoted-printable and base64 bodies, links. Any bytes give a value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "notify/mail_read.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto mail = signoff::notify::read_mail(text);
  for (const std::string& link : signoff::notify::find_links(mail.body)) {
    if (link.rfind("http", 0) != 0) {
      __builtin_trap();  // every link found is a URL
    }
  }
  (void)mail.header("Subject");
  return 0;
}
