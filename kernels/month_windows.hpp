#pragma once
// Which of a few calendar windows of months ([report] revenue_windows) hold month t, as the
// months are walked: the set changes only in a window's first month and the month after its last,
// so a month in between costs one comparison instead of one per window.
#include <cstdint>

#include "limits.hpp"
#include "platform.hpp"

namespace buildout {

class MonthWindows {
 public:
  // Window w holds the months [begin[w], end[w]); n <= 32.
  BO_HD MonthWindows(int n, const std::int32_t* begin, const std::int32_t* end) : n_(n), begin_(begin), end_(end) {}

  // The mask of the windows that hold month t, for t = 0, 1, ... in ascending order.
  BO_HD std::uint32_t at(int t) {
    if (t < next_) return mask_;
    mask_ = 0;
    next_ = kMaxMonths + 1;
    for (int w = 0; w < n_; ++w) {
      if (t >= begin_[w] && t < end_[w]) mask_ |= std::uint32_t{1} << w;
      if (begin_[w] > t && begin_[w] < next_) next_ = begin_[w];
      if (end_[w] > t && end_[w] < next_) next_ = end_[w];
    }
    return mask_;
  }

 private:
  int n_;
  const std::int32_t* begin_;
  const std::int32_t* end_;
  std::uint32_t mask_ = 0;
  int next_ = 0;  // the next month at which the mask can change
};

}  // namespace buildout
