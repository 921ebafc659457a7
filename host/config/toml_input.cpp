#include "host/config/toml_input.hpp"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "host/io/input_file.hpp"

namespace buildout {

namespace {

bool bare_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// toml++ parses a dotted key or table header of tens of thousands of parts by recursion, and
// overflows the stack; so the parts of each key are counted first, outside strings and comments,
// and a key of more than kMaxKeyParts is refused where it is written.
void require_shallow_keys(const std::string& text, const std::string& source_name) {
  int line = 1, col = 1, parts = 0;
  bool after_part = false;  // a key's part (bare or quoted) ends here: a dot after it adds a part
  const auto advance = [&](char c) {
    if (c == '\n') { ++line; col = 1; } else { ++col; }
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '#') {  // a comment, to the end of its line
      while (i < text.size() && text[i] != '\n') advance(text[i++]);
      continue;
    }
    if (c == '"' || c == '\'') {
      const bool multi = text.compare(i, 3, std::string(3, c)) == 0;
      const std::size_t open = multi ? 3 : 1;
      for (std::size_t k = 0; k < open; ++k) advance(text[i++]);
      while (i < text.size()) {
        if (c == '"' && text[i] == '\\' && i + 1 < text.size()) {  // an escape in a basic string
          advance(text[i++]);
          advance(text[i++]);
          continue;
        }
        if (multi ? text.compare(i, 3, std::string(3, c)) == 0 : text[i] == c) break;
        if (!multi && text[i] == '\n') break;  // unterminated: toml++ says so
        advance(text[i++]);
      }
      for (std::size_t k = 0; k < open && i < text.size(); ++k) advance(text[i++]);
      after_part = true;
      continue;
    }
    if (bare_key_char(c)) {
      while (i < text.size() && bare_key_char(text[i])) advance(text[i++]);
      after_part = true;
      continue;
    }
    if (c == '.' && after_part) {
      if (++parts >= kMaxKeyParts) {
        std::ostringstream os;
        os << source_name << ':' << line << ':' << col << ": a dotted key or table header of more than " << kMaxKeyParts
           << " parts (a table nested that deep is not a config)";
        throw ConfigError(os.str());
      }
      after_part = false;
      advance(text[i++]);
      continue;
    }
    if (c != ' ' && c != '\t') {
      parts = 0;
      after_part = false;
    }
    advance(text[i++]);
  }
}

}  // namespace

toml::table parse_toml_text(const std::string& text, const std::string& source_name) {
  require_shallow_keys(text, source_name);
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << source_name << ':' << e.source().begin.line << ':' << e.source().begin.column << ": TOML syntax error: " << e.description();
    throw ConfigError(os.str());
  }
}

toml::table parse_toml_file(const std::string& path, const std::string& what) {
  std::string text;
  try {
    text = read_input_file(path, what + " file");
  } catch (const UserError& e) {
    throw ConfigError(e.what());
  }
  return parse_toml_text(text, path);
}

YearMonth date_from(const SourceMap& sources, const std::string& s, const toml::node& at, const std::string& key_path) {
  int y = 0, m = 0;
  char tail = 0;
  if (s.size() != 7 || std::sscanf(s.c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-' || m < 1 || m > 12 || y < 1900 || y > 2200)
    fail_at(sources, at, key_path, "expected a date \"YYYY-MM\" (month 01-12), got \"" + s + "\"");
  return YearMonth{y, m};
}

YearMonth date_node(const SourceMap& sources, const toml::node& n, const std::string& key_path) {
  const auto s = n.as_string();
  if (!s) fail_at(sources, n, key_path, "expected a date \"YYYY-MM\", got " + type_name(n));
  return date_from(sources, s->get(), n, key_path);
}

YearMonth parse_date(TableReader& r, std::string_view key, const std::string& fallback) {
  const std::string s = fallback.empty() ? r.string(key) : r.string(key, fallback);
  return date_from(r.sources(), s, r.has(key) ? r.require(key) : static_cast<const toml::node&>(r.table()), r.key_path(key));
}

}  // namespace buildout
