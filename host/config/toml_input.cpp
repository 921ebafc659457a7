#include "toml_input.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace buildout {

toml::table parse_toml_text(const std::string& text, const std::string& source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << source_name << ':' << e.source().begin.line << ':' << e.source().begin.column << ": TOML syntax error: " << e.description();
    throw ConfigError(os.str());
  }
}

toml::table parse_toml_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open " + what + " file (does it exist and is it readable?)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_toml_text(text.str(), path);
}

YearMonth date_from(const std::string& s, const toml::node& at, const std::string& key_path) {
  int y = 0, m = 0;
  char tail = 0;
  if (s.size() != 7 || std::sscanf(s.c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-' || m < 1 || m > 12 || y < 1900 || y > 2200)
    fail_at(at, key_path, "expected a date \"YYYY-MM\" (month 01-12), got \"" + s + "\"");
  return YearMonth{y, m};
}

YearMonth date_node(const toml::node& n, const std::string& key_path) {
  const auto s = n.as_string();
  if (!s) fail_at(n, key_path, "expected a date \"YYYY-MM\", got " + type_name(n));
  return date_from(s->get(), n, key_path);
}

YearMonth parse_date(TableReader& r, std::string_view key, const std::string& fallback) {
  const std::string s = fallback.empty() ? r.string(key) : r.string(key, fallback);
  return date_from(s, r.has(key) ? r.require(key) : static_cast<const toml::node&>(r.table()), r.key_path(key));
}

}  // namespace buildout
