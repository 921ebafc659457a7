#pragma once
// Reading TOML input, config or outcomes alike: a file or text parsed with
// syntax errors as FILE:LINE:COL, and "YYYY-MM" dates read with their key path.
#include <string>
#include <string_view>

#include "host/config/config.hpp"
#include "host/config/toml_reader.hpp"

namespace buildout {

// The most parts a dotted key or table header may have ([a.b.c] has 3).
constexpr int kMaxKeyParts = 64;

// Throws ConfigError "SOURCE:LINE:COL: TOML syntax error: ...", or naming a key of more than
// kMaxKeyParts parts.
toml::table parse_toml_text(const std::string& text, const std::string& source_name);
// Throws ConfigError "PATH: cannot read <what> file: <reason>" (a missing file, one that is not a
// regular file or is larger than kMaxInputFileBytes) or a syntax error.
toml::table parse_toml_file(const std::string& path, const std::string& what);

// "YYYY-MM" -> YearMonth; `at` and `key_path` name the value in errors.
YearMonth date_from(const SourceMap& sources, const std::string& s, const toml::node& at, const std::string& key_path);
YearMonth date_node(const SourceMap& sources, const toml::node& n, const std::string& key_path);
// A date under `key`; an empty fallback makes it required.
YearMonth parse_date(TableReader& r, std::string_view key, const std::string& fallback);

}  // namespace buildout
