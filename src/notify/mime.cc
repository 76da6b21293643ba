#include "notify/mime.h"

#include <cstdint>

#include <openssl/evp.h>

namespace signoff::notify {
namespace {

constexpr size_t kQpLine = 76;

bool printable_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Splits text into lines on CRLF, CR or LF.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      start = i + 1;
    }
  }
  lines.push_back(text.substr(start));
  return lines;
}

// Bytes of a valid UTF-8 sequence starting at s[i] (1 for anything else, so bad bytes still
// advance).
size_t utf8_length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
  return i + n <= s.size() ? n : 1;
}

bool body_needs_encoding(const std::vector<std::string_view>& lines) {
  for (std::string_view line : lines) {
    if (line.size() > kQpLine) {
      return true;
    }
    for (unsigned char c : line) {
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        return true;
      }
    }
  }
  return false;
}

// Folds long ASCII values at spaces so header lines stay within 78 characters where possible
// (a word longer than that stays whole: RFC 5322 allows up to 998).
void append_header(std::string& out, std::string_view name, std::string_view value) {
  constexpr size_t kLine = 78;
  out.append(name).append(": ");
  size_t column = name.size() + 2;
  while (column + value.size() > kLine && value.find("\r\n") == std::string_view::npos) {
    size_t room = kLine - column;
    size_t cut = value.rfind(' ', room);
    if (cut == std::string_view::npos || cut == 0) {
      break;
    }
    out.append(value.substr(0, cut)).append("\r\n");
    value = value.substr(cut);  // the fold keeps the space as the continuation's indent
    column = 0;
  }
  out.append(value).append("\r\n");
}

}  // namespace

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::vector<std::string_view> lines = split_lines(text);
  for (size_t li = 0; li < lines.size(); ++li) {
    std::string_view line = lines[li];
    size_t column = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      // Trailing whitespace would be stripped by relays; '=' is the escape itself.
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      char piece[3] = {static_cast<char>(c), 0, 0};
      size_t width = 1;
      if (!literal) {
        piece[0] = '=';
        piece[1] = kHex[c >> 4];
        piece[2] = kHex[c & 0xf];
        width = 3;
      }
      // Room for the piece plus a soft break's '=' (unless this is the line's end).
      size_t limit = last ? kQpLine : kQpLine - 1;
      if (column + width > limit) {
        out.append("=\r\n");
        column = 0;
      }
      out.append(piece, width);
      column += width;
    }
    if (li + 1 < lines.size()) {
      out.append("\r\n");
    }
  }
  return out;
}

std::string encode_header_text(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    clean.push_back(c == '\r' || c == '\n' ? ' ' : c);
  }
  if (printable_ascii(clean)) {
    return clean;
  }
  // 36 input bytes give 48 base64 characters: a word of 60, which fits a header line of 78 after
  // the longest header name we write.
  constexpr size_t kChunk = 36;
  std::string out;
  size_t i = 0;
  while (i < clean.size()) {
    size_t start = i;
    while (i < clean.size()) {
      size_t n = utf8_length(clean, i);
      if (i + n - start > kChunk) {
        break;
      }
      i += n;
    }
    if (!out.empty()) {
      out.append("\r\n ");
    }
    out.append("=?UTF-8?B?").append(base64(std::string_view(clean).substr(start, i - start)));
    out.append("?=");
  }
  return out;
}

std::string format_mailbox(std::string_view display_name, std::string_view address) {
  std::string addr;
  for (char c : address) {
    if (c != '\r' && c != '\n' && c != '<' && c != '>') {
      addr.push_back(c);
    }
  }
  if (display_name.empty()) {
    return addr;
  }
  std::string name;
  if (printable_ascii(display_name)) {
    name.push_back('"');
    for (char c : display_name) {
      if (c == '"' || c == '\\') {
        name.push_back('\\');
      }
      name.push_back(c);
    }
    name.push_back('"');
  } else {
    name = encode_header_text(display_name);
  }
  return name + " <" + addr + ">";
}

std::string build_mime(const MailMessage& mail) {
  std::vector<std::string_view> lines = split_lines(mail.body);
  bool encode = body_needs_encoding(lines);
  std::string out;
  append_header(out, "From", format_mailbox(mail.from_name, mail.from_address));
  append_header(out, "To", format_mailbox("", mail.to));
  append_header(out, "Subject", encode_header_text(mail.subject));
  append_header(out, "Date", mail.date);
  std::string message_id = "<";  // built by append: GCC 12 misreports "<" + string (-Wrestrict)
  message_id.append(encode_header_text(mail.message_id)).append(">");
  append_header(out, "Message-ID", message_id);
  append_header(out, "MIME-Version", "1.0");
  append_header(out, "Content-Type", "text/plain; charset=UTF-8");
  append_header(out, "Content-Transfer-Encoding", encode ? "quoted-printable" : "7bit");
  for (const MailHeader& h : mail.extra_headers) {
    append_header(out, encode_header_text(h.name), encode_header_text(h.value));
  }
  out.append("\r\n");
  if (encode) {
    out.append(quoted_printable(mail.body));
  } else {
    for (size_t i = 0; i < lines.size(); ++i) {
      out.append(lines[i]);
      if (i + 1 < lines.size()) {
        out.append("\r\n");
      }
    }
  }
  out.append("\r\n");
  return out;
}

}  // namespace signoff::notify
