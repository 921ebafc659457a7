#include "host/config/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace buildout {

// A copy's original, or for a table an overlay merged into, where the last file that wrote it did.
const toml::source_region& SourceMap::of(const toml::node& node) const {
  const auto it = copies_.find(&node);
  return it != copies_.end() ? it->second : node.source();
}

void SourceMap::record_copy(const toml::node& original, const toml::node& copy) {
  copies_[&copy] = of(original);
  if (const auto* t = original.as_table()) {
    for (const auto& [k, v] : *t)
      if (const toml::node* c = copy.as_table()->get(k)) record_copy(v, *c);
  } else if (const auto* a = original.as_array()) {
    for (size_t i = 0; i < a->size(); ++i) record_copy((*a)[i], (*copy.as_array())[i]);
  }
}

std::string location_of(const SourceMap& sources, const toml::node& node) {
  const auto& src = sources.of(node);
  std::ostringstream os;
  os << (src.path ? *src.path : std::string("<config>"));
  if (src.begin.line > 0) os << ':' << src.begin.line << ':' << src.begin.column;
  return os.str();
}

void fail_at(const SourceMap& sources, const toml::node& node, const std::string& key_path, const std::string& expected) {
  throw ConfigError(location_of(sources, node) + ": " + key_path + ": " + expected);
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date/time";
  }
}

TableReader::TableReader(const toml::table& table, std::string path, const SourceMap& sources)
    : table_(table), path_(std::move(path)), sources_(sources) {}

std::string TableReader::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::get(std::string_view key) {
  used_.insert(std::string(key));
  return table_.get(key);
}

// Levenshtein distance, to suggest the key a typo meant.
static size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

const toml::node& TableReader::require(std::string_view key) {
  const toml::node* n = get(key);
  if (n) return *n;
  for (const auto& [k, v] : table_)
    if (!used_.count(k.str()) && edit_distance(k.str(), key) <= 2)
      fail_at(sources_, v, key_path(key), "missing required key; found unknown key \"" + std::string(k.str()) + "\" here instead (a typo?)");
  fail_at(sources_, table_, key_path(key), "missing required key");
}

static std::string finite_expected(double v) {
  return std::string("expected a finite number, got ") + (std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
}

double number_value(const SourceMap& sources, const toml::node& n, const std::string& key) {
  if (auto v = n.as_floating_point()) {
    if (!std::isfinite(v->get())) fail_at(sources, n, key, finite_expected(v->get()));
    return v->get();
  }
  if (auto v = n.as_integer()) return static_cast<double>(v->get());
  fail_at(sources, n, key, "expected a number, got " + type_name(n));
}

static void require_finite_below(const SourceMap& sources, const toml::node& n, const std::string& path) {
  if (const auto* t = n.as_table()) {
    for (const auto& [k, v] : *t)
      require_finite_below(sources, v, path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()));
  } else if (const auto* a = n.as_array()) {
    for (size_t i = 0; i < a->size(); ++i) require_finite_below(sources, (*a)[i], path + "[" + std::to_string(i + 1) + "]");
  } else if (const auto* f = n.as_floating_point()) {
    if (!std::isfinite(f->get())) fail_at(sources, n, path, finite_expected(f->get()));
  }
}

void require_finite_numbers(const SourceMap& sources, const toml::table& root) { require_finite_below(sources, root, ""); }

double TableReader::number(std::string_view key) { return number_value(sources_, require(key), key_path(key)); }

double TableReader::number(std::string_view key, double fallback) {
  const toml::node* n = get(key);
  return n ? number_value(sources_, *n, key_path(key)) : fallback;
}

double TableReader::number_in(std::string_view key, double lo, double hi) {
  const double v = number(key);
  if (v < lo || v > hi) {
    std::ostringstream os;
    os << "expected a number in [" << lo << ", " << hi << "], got " << v;
    fail_at(sources_, require(key), key_path(key), os.str());
  }
  return v;
}

double TableReader::number_in(std::string_view key, double lo, double hi, double fallback) {
  return has(key) ? number_in(key, lo, hi) : (get(key), fallback);
}

std::int64_t TableReader::integer_in(std::string_view key, std::int64_t lo, std::int64_t hi) {
  const toml::node& n = require(key);
  const auto v = n.as_integer();
  if (!v) fail_at(sources_, n, key_path(key), "expected an integer, got " + type_name(n));
  if (v->get() < lo || v->get() > hi)
    fail_at(sources_, n, key_path(key), "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(v->get()));
  return v->get();
}

std::int64_t TableReader::integer_in(std::string_view key, std::int64_t lo, std::int64_t hi, std::int64_t fallback) {
  return has(key) ? integer_in(key, lo, hi) : (get(key), fallback);
}

std::string TableReader::string(std::string_view key) {
  const toml::node& n = require(key);
  const auto v = n.as_string();
  if (!v) fail_at(sources_, n, key_path(key), "expected a string, got " + type_name(n));
  return v->get();
}

bool TableReader::boolean(std::string_view key) {
  const toml::node& n = require(key);
  const auto v = n.as_boolean();
  if (!v) fail_at(sources_, n, key_path(key), "expected true or false, got " + type_name(n));
  return v->get();
}

std::string TableReader::string(std::string_view key, const std::string& fallback) {
  return has(key) ? string(key) : (get(key), fallback);
}

std::string TableReader::one_of(std::string_view key, const std::vector<std::string>& allowed, const std::string& fallback) {
  const std::string v = string(key, fallback);
  for (const auto& a : allowed)
    if (a == v) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  fail_at(sources_, require(key), key_path(key), "expected one of " + list + ", got \"" + v + "\"");
}

std::vector<std::string> TableReader::strings(std::string_view key) {
  std::vector<std::string> out;
  const toml::node* n = get(key);
  if (!n) return out;
  const auto arr = n->as_array();
  if (!arr) fail_at(sources_, *n, key_path(key), "expected an array of strings, got " + type_name(*n));
  for (const auto& e : *arr) {
    const auto s = e.as_string();
    if (!s) fail_at(sources_, e, key_path(key), "expected an array of strings, found " + type_name(e));
    out.push_back(s->get());
  }
  return out;
}

std::vector<double> TableReader::numbers(std::string_view key) {
  const toml::node& n = require(key);
  const auto arr = n.as_array();
  if (!arr) fail_at(sources_, n, key_path(key), "expected an array of numbers, got " + type_name(n));
  std::vector<double> out;
  for (const auto& e : *arr) out.push_back(number_value(sources_, e, key_path(key)));
  return out;
}

const toml::table& TableReader::subtable(std::string_view key) {
  const toml::node& n = require(key);
  const auto t = n.as_table();
  if (!t) fail_at(sources_, n, key_path(key), "expected a table, got " + type_name(n));
  return *t;
}

const toml::table* TableReader::optional_subtable(std::string_view key) {
  return has(key) ? &subtable(key) : (get(key), nullptr);
}

void TableReader::finish() const {
  for (const auto& [k, v] : table_) {
    if (used_.count(k.str())) continue;
    fail_at(sources_, v, key_path(k.str()), "unknown key (check the spelling; docs/CONFIG.md lists the keys)");
  }
}

// A distribution table merges into one of the same `dist` (or a table that
// gives none), so an overlay that narrows min/mode/max keeps the base's
// factor and loading; a different `dist` replaces the table whole.
static bool merges_into(const toml::table& base, const toml::table& over) {
  const toml::node* over_dist = over.get("dist");
  if (!over_dist) return true;
  const toml::node* base_dist = base.get("dist");
  return base_dist && base_dist->value<std::string>() == over_dist->value<std::string>();
}

// A lognormal given by median and p90 in one table and by mu and sigma in
// the other takes the overlay's pair alone.
static void drop_other_parametrisation(toml::table& base, const toml::table& over) {
  const auto gives = [&](const char* a, const char* b) { return over.contains(a) || over.contains(b); };
  if (gives("median", "p90")) { base.erase("mu"); base.erase("sigma"); }
  if (gives("mu", "sigma")) { base.erase("median"); base.erase("p90"); }
}

void deep_merge(SourceMap& sources, toml::table& base, const toml::table& overlay) {
  for (const auto& [k, v] : overlay) {
    toml::node* existing = base.get(k);
    const toml::table* over = v.as_table();
    if (existing && existing->is_table() && over && merges_into(*existing->as_table(), *over)) {
      drop_other_parametrisation(*existing->as_table(), *over);
      deep_merge(sources, *existing->as_table(), *over);
      // An error in the merged table (a distribution whose parts no longer agree) is the overlay's doing.
      sources.record(*existing, sources.of(v));
    } else
      sources.record_copy(v, base.insert_or_assign(k, v).first->second);
  }
}

}  // namespace buildout
