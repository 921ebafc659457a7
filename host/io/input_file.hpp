#pragma once
// Reading a whole input file (a config, an `extends` base, outcomes, a checkpoint) safely: it
// must be a regular file, never a FIFO (which would block for ever), a device (/dev/zero never
// ends) or a directory, and it may not be longer than a cap.
#include <cstdint>
#include <string>

namespace buildout {

// The cap on configs, `extends` bases and outcomes files: far above any real one (base.toml is
// about 60 KB), far below what would exhaust memory.
constexpr std::uint64_t kMaxInputFileBytes = std::uint64_t{64} << 20;

// The file's bytes. Throws UserError "PATH: cannot read <what>: <reason>" (the errno's text, or
// why the file is refused).
std::string read_input_file(const std::string& path, const std::string& what, std::uint64_t max_bytes = kMaxInputFileBytes);

}  // namespace buildout
