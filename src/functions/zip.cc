#include "functions/zip.h"

#include <cstring>

#include <zlib.h>

namespace signoff::functions {

namespace {

constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kLocalSig = 0x04034b50;

uint16_t u16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) |
                               (static_cast<uint8_t>(b[at + 1]) << 8));
}
uint32_t u32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(u16(b, at)) | (static_cast<uint32_t>(u16(b, at + 2)) << 16);
}

Error corrupt(const std::string& why) {
  return make_error("InvalidParameterValueException",
                    "Could not unzip uploaded file. Please check your file, then try to upload "
                    "again. (" +
                        why + ")");
}

bool safe_path(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.find('\\') != std::string_view::npos ||
      p.find('\0') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) {
      end = p.size();
    }
    if (p.substr(start, end - start) == "..") {
      return false;
    }
    start = end + 1;
  }
  return true;
}

bool inflate_raw(std::string_view in, size_t expected, std::string& out) {
  out.assign(expected, '\0');
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
    return false;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  bool ok = rc == Z_STREAM_END && zs.total_out == expected;
  inflateEnd(&zs);
  return ok;
}

void put16(std::string& o, uint32_t v) {
  o.push_back(static_cast<char>(v & 0xff));
  o.push_back(static_cast<char>((v >> 8) & 0xff));
}
void put32(std::string& o, uint32_t v) {
  put16(o, v & 0xffff);
  put16(o, v >> 16);
}

}  // namespace

Result<std::vector<ZipEntry>> read_zip(std::string_view b, ZipLimits limits) {
  if (b.size() < 22) {
    return corrupt("too short");
  }
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes (its comment).
  size_t eocd = std::string_view::npos;
  size_t lowest = b.size() > 65557 ? b.size() - 65557 : 0;
  for (size_t i = b.size() - 22 + 1; i-- > lowest;) {
    if (u32(b, i) == kEndSig) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) {
    return corrupt("no end of central directory");
  }
  size_t count = u16(b, eocd + 10);
  size_t cd_size = u32(b, eocd + 12);
  size_t cd_offset = u32(b, eocd + 16);
  if (count == 0xffff || cd_offset == 0xffffffff) {
    return corrupt("zip64 archives are not supported");
  }
  if (cd_offset > b.size() || cd_size > b.size() - cd_offset || count > limits.max_entries) {
    return corrupt("bad central directory");
  }
  std::vector<ZipEntry> entries;
  size_t total = 0;
  size_t at = cd_offset;
  for (size_t n = 0; n < count; ++n) {
    if (at + 46 > b.size() || u32(b, at) != kCentralSig) {
      return corrupt("bad central directory entry");
    }
    uint16_t made_by = u16(b, at + 4);
    uint16_t flags = u16(b, at + 8);
    uint16_t method = u16(b, at + 10);
    uint32_t crc = u32(b, at + 16);
    size_t csize = u32(b, at + 20);
    size_t usize = u32(b, at + 24);
    size_t name_len = u16(b, at + 28);
    size_t extra_len = u16(b, at + 30);
    size_t comment_len = u16(b, at + 32);
    uint32_t external = u32(b, at + 38);
    size_t local = u32(b, at + 42);
    if (at + 46 + name_len + extra_len + comment_len > b.size()) {
      return corrupt("truncated central directory");
    }
    ZipEntry e;
    e.path = std::string(b.substr(at + 46, name_len));
    at += 46 + name_len + extra_len + comment_len;
    if ((flags & 1) != 0) {
      return corrupt("encrypted entries are not supported");
    }
    if (!safe_path(e.path)) {
      return corrupt("unsafe path " + e.path);
    }
    if ((made_by >> 8) == 3 && (external >> 16) != 0) {  // made on unix: st_mode in the high half
      e.mode = (external >> 16) & 0777;
    }
    if (local + 30 > b.size() || u32(b, local) != kLocalSig) {
      return corrupt("bad local header");
    }
    size_t data_at = local + 30 + u16(b, local + 26) + u16(b, local + 28);
    if (data_at > b.size() || csize > b.size() - data_at) {
      return corrupt("truncated entry " + e.path);
    }
    total += usize;
    if (total > limits.max_total_bytes) {
      return make_error("InvalidParameterValueException",
                        "Unzipped size must be smaller than " +
                            std::to_string(limits.max_total_bytes) + " bytes");
    }
    std::string_view raw = b.substr(data_at, csize);
    if (method == 0) {
      if (csize != usize) {
        return corrupt("stored entry size mismatch " + e.path);
      }
      e.data = std::string(raw);
    } else if (method == 8) {
      if (!inflate_raw(raw, usize, e.data)) {
        return corrupt("bad deflate data in " + e.path);
      }
    } else {
      return corrupt("unsupported compression method " + std::to_string(method));
    }
    uLong actual =
        crc32(0L, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size()));
    if (actual != crc) {
      return corrupt("CRC mismatch in " + e.path);
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string make_zip(const std::vector<ZipEntry>& entries) {
  std::string out;
  std::string central;
  for (const ZipEntry& e : entries) {
    uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    uint32_t offset = static_cast<uint32_t>(out.size());
    uint32_t size = static_cast<uint32_t>(e.data.size());
    put32(out, kLocalSig);
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);  // stored
    put16(out, 0);
    put16(out, 0x21);  // 1980-01-01
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<uint32_t>(e.path.size()));
    put16(out, 0);
    out += e.path;
    out += e.data;
    put32(central, kCentralSig);
    put16(central, (3u << 8) | 20u);
    put16(central, 20);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, static_cast<uint32_t>(e.path.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, (0100000u | (e.mode & 0777)) << 16);
    put32(central, offset);
    central += e.path;
  }
  uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  put32(out, kEndSig);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint32_t>(entries.size()));
  put16(out, static_cast<uint32_t>(entries.size()));
  put32(out, static_cast<uint32_t>(central.size()));
  put32(out, cd_offset);
  put16(out, 0);
  return out;
}

}  // namespace signoff::functions
