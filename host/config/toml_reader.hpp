#pragma once
// Typed, strict reading of one TOML table: every getter names the key path in
// its error, and finish() rejects keys nobody asked for (typos).
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <toml++/toml.h>

#include "host/config/config_error.hpp"

namespace buildout {

// Where each node was written. toml++ does not copy a node's source position with
// the node, and templates and `extends` are applied by copying; a load owns one
// SourceMap, which maps each copy to where its original was written (and a table
// an overlay merged into, to the overlay). A node it does not know is where
// toml++ parsed it.
class SourceMap {
 public:
  const toml::source_region& of(const toml::node& node) const;
  // Call once a copy is in its final place, so errors inside it still name the
  // original file and line.
  void record_copy(const toml::node& original, const toml::node& copy);
  // `node` is now the doing of what was written at `source`.
  void record(const toml::node& node, const toml::source_region& source) { copies_[&node] = source; }

 private:
  std::unordered_map<const toml::node*, toml::source_region> copies_;
};

// "file:line:col" of a node (or of its table, for a missing key).
std::string location_of(const SourceMap& sources, const toml::node& node);
[[noreturn]] void fail_at(const SourceMap& sources, const toml::node& node, const std::string& key_path, const std::string& expected);
std::string type_name(const toml::node& node);
// The node's value as a finite double; otherwise fails naming key_path.
double number_value(const SourceMap& sources, const toml::node& node, const std::string& key_path);
// Fails at the first NaN or infinity anywhere in the tree, read or not: a
// template value that every site overrides, say, is still the user's typo.
void require_finite_numbers(const SourceMap& sources, const toml::table& root);

class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, const SourceMap& sources);

  const toml::table& table() const { return table_; }
  const SourceMap& sources() const { return sources_; }
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const;
  bool has(std::string_view key) const { return table_.contains(key); }

  // Marks the key as read; nullptr when absent.
  const toml::node* get(std::string_view key);
  const toml::node& require(std::string_view key);

  double number(std::string_view key);
  double number(std::string_view key, double fallback);
  double number_in(std::string_view key, double lo, double hi);
  double number_in(std::string_view key, double lo, double hi, double fallback);
  std::int64_t integer_in(std::string_view key, std::int64_t lo, std::int64_t hi);
  std::int64_t integer_in(std::string_view key, std::int64_t lo, std::int64_t hi, std::int64_t fallback);
  std::string string(std::string_view key);
  bool boolean(std::string_view key);
  std::string string(std::string_view key, const std::string& fallback);
  std::string one_of(std::string_view key, const std::vector<std::string>& allowed, const std::string& fallback);
  std::vector<std::string> strings(std::string_view key);  // empty when absent
  std::vector<double> numbers(std::string_view key);       // required
  const toml::table& subtable(std::string_view key);       // required
  const toml::table* optional_subtable(std::string_view key);

  // Rejects keys that no getter asked for.
  void finish() const;

 private:
  const toml::table& table_;
  std::string path_;
  const SourceMap& sources_;
  std::set<std::string, std::less<>> used_;
};

// Overlay on top of base: tables merge key by key, anything else replaces.
// A distribution table merges key by key into one of the same `dist` (its
// factor and loading stay unless given); a different `dist` replaces it whole.
// The merged nodes' sources are recorded in `sources`.
void deep_merge(SourceMap& sources, toml::table& base, const toml::table& overlay);

}  // namespace buildout
