#pragma once
// Plain binary serialization of summary state for checkpoints: fixed-width
// values in the machine's byte order (a checkpoint resumes on the kind of
// machine that wrote it), vectors with their length first.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace buildout {

class ByteWriter {
 public:
  template <typename T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <typename T>
  void put_vector(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    if (!v.empty()) bytes_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void put_string(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes_ += s;
  }
  const std::string& bytes() const { return bytes_; }
  std::string take() { return std::move(bytes_); }
  void reserve(std::size_t n) { bytes_.reserve(n); }

 private:
  std::string bytes_;
};

// Reading past the end, or a length that cannot be right, throws std::runtime_error.
class ByteReader {
 public:
  ByteReader(const char* data, std::size_t size) : data_(data), size_(size) {}
  template <typename T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  template <typename T>
  std::vector<T> get_vector() {
    const auto n = get<std::uint64_t>();
    if (n > (size_ - at_) / sizeof(T)) throw std::runtime_error("truncated");
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), take(n * sizeof(T)), n * sizeof(T));
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    if (n > size_ - at_) throw std::runtime_error("truncated");
    return std::string(take(n), n);
  }
  bool at_end() const { return at_ == size_; }

 private:
  const char* take(std::size_t n) {
    if (n > size_ - at_) throw std::runtime_error("truncated");
    const char* p = data_ + at_;
    at_ += n;
    return p;
  }
  const char* data_;
  std::size_t size_, at_ = 0;
};

}  // namespace buildout
