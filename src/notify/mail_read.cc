#include "notify/mail_read.h"

#include <cctype>

#include <openssl/evp.h>

namespace signoff::notify {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

std::string base64_decode(std::string_view in) {
  std::string clean;
  for (char c : in) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=') {
      clean += c;
    }
  }
  while (clean.size() % 4 != 0) {
    clean += '=';
  }
  std::string out(clean.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) {
    return std::string(in);
  }
  size_t pad = 0;
  for (size_t i = clean.size(); i > 0 && clean[i - 1] == '=' && pad < 2; --i) {
    ++pad;
  }
  out.resize(static_cast<size_t>(n) >= pad ? static_cast<size_t>(n) - pad : 0);
  return out;
}

std::string qp_decode(std::string_view in, bool header) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '=' && i + 1 < in.size() && (in[i + 1] == '\r' || in[i + 1] == '\n')) {
      // A soft line break.
      i += (in[i + 1] == '\r' && i + 2 < in.size() && in[i + 2] == '\n') ? 2 : 1;
      continue;
    }
    if (c == '=' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
      continue;
    }
    out += header && c == '_' ? ' ' : c;
  }
  return out;
}

// =?charset?B|Q?text?= words; the charset is taken to be UTF-8 (what Signoff writes).
std::string decode_words(const std::string& value) {
  std::string out;
  size_t i = 0;
  bool last_was_word = false;
  while (i < value.size()) {
    size_t start = value.find("=?", i);
    if (start == std::string::npos) {
      out += value.substr(i);
      break;
    }
    size_t q1 = value.find('?', start + 2);
    size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
    size_t end = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
    if (end == std::string::npos || q2 != q1 + 2) {
      out += value.substr(i);
      break;
    }
    std::string between = value.substr(i, start - i);
    // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
    if (!(last_was_word && between.find_first_not_of(" \t") == std::string::npos)) {
      out += between;
    }
    char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(value[q1 + 1])));
    std::string_view payload(value.data() + q2 + 1, end - q2 - 1);
    out += enc == 'B' ? base64_decode(payload) : qp_decode(payload, true);
    last_was_word = true;
    i = end + 2;
  }
  return out;
}

}  // namespace

std::string ReadMail::header(std::string_view name) const {
  std::string want = lower(name);
  for (const MailHeader& h : headers) {
    if (lower(h.name) == want) {
      return h.value;
    }
  }
  return "";
}

ReadMail read_mail(std::string_view text) {
  ReadMail mail;
  size_t pos = 0;
  std::vector<MailHeader> raw;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, eol == std::string_view::npos ? text.size() - pos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      break;  // the body follows
    }
    if ((line[0] == ' ' || line[0] == '\t') && !raw.empty()) {
      raw.back().value += ' ';
      raw.back().value.append(line.substr(line.find_first_not_of(" \t")));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    std::string value(line.substr(colon + 1));
    size_t first = value.find_first_not_of(" \t");
    raw.push_back({std::string(line.substr(0, colon)),
                   first == std::string::npos ? "" : value.substr(first)});
  }
  for (MailHeader& h : raw) {
    h.value = decode_words(h.value);
  }
  mail.headers = std::move(raw);
  std::string_view body = text.substr(pos);
  std::string encoding = lower(mail.header("Content-Transfer-Encoding"));
  std::string decoded = encoding == "quoted-printable" ? qp_decode(body, false)
                        : encoding == "base64"         ? base64_decode(body)
                                                       : std::string(body);
  for (char c : decoded) {
    if (c != '\r') {
      mail.body += c;
    }
  }
  return mail;
}

std::vector<std::string> find_links(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t a = text.find("http://", pos);
    size_t b = text.find("https://", pos);
    size_t start = std::min(a, b);
    if (start == std::string_view::npos) {
      return out;
    }
    size_t end = start;
    while (end < text.size()) {
      unsigned char c = static_cast<unsigned char>(text[end]);
      if (c <= ' ' || c == '"' || c == '<' || c == '>' || c >= 0x7f) {
        break;
      }
      ++end;
    }
    std::string link(text.substr(start, end - start));
    while (!link.empty() && (link.back() == '.' || link.back() == ',' || link.back() == ')')) {
      link.pop_back();
    }
    out.push_back(std::move(link));
    pos = end;
  }
}

}  // namespace signoff::notify
