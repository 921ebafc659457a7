#pragma once
// User errors: bad config, bad flags, a run that will not fit. The CLI prints
// the message and exits with code 2; nothing has been written by then.
#include <stdexcept>
#include <string>

namespace buildout {

struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Message format: "FILE:LINE:COL: KEY: what was expected".
struct ConfigError : UserError {
  using UserError::UserError;
};

}  // namespace buildout
