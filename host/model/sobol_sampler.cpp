#include "sobol_sampler.hpp"

#include <curand.h>

#include <unordered_map>

#include "host/config/config_error.hpp"
#include "host/config/splitmix64.hpp"

namespace buildout {
namespace {

// The random inputs' streams in dimension order.
std::vector<std::uint64_t> dimension_streams(const CompiledModel& m) {
  std::vector<std::uint64_t> streams(m.factor_streams.begin(), m.factor_streams.end());
  std::unordered_map<std::uint64_t, int> seen;
  for (const auto& d : m.draws)
    if (d.kind != DistKind::Fixed && seen.emplace(d.stream, 0).second) streams.push_back(d.stream);
  streams.insert(streams.end(), m.release_streams.begin(), m.release_streams.end());
  return streams;
}

std::uint32_t shift_of(std::uint64_t seed, std::uint64_t stream) {
  return static_cast<std::uint32_t>(splitmix64_mix(seed ^ (stream * kGoldenGamma)) >> 32);
}

}  // namespace

void assign_input_dimensions(CompiledModel& m) {
  std::unordered_map<std::uint64_t, int> dimension;
  const std::vector<std::uint64_t> streams = dimension_streams(m);
  for (std::size_t k = 0; k < streams.size(); ++k) dimension.emplace(streams[k], static_cast<int>(k));
  m.factor_dimensions.clear();
  for (auto s : m.factor_streams) m.factor_dimensions.push_back(dimension.at(s));
  for (auto& d : m.draws) d.dimension = d.kind == DistKind::Fixed ? 0 : dimension.at(d.stream);
  m.release_dimensions.clear();
  for (auto s : m.release_streams) m.release_dimensions.push_back(dimension.at(s));
}

void use_sobol_sampler(CompiledModel& m) {
  const std::vector<std::uint64_t> streams = dimension_streams(m);
  const int n = static_cast<int>(streams.size());
  if (n > kMaxSobolDimensions)
    throw UserError("--sampler sobol: the model has " + std::to_string(n) + " random inputs, more than the " +
                    std::to_string(kMaxSobolDimensions) + " Sobol' dimensions cuRAND provides");
  curandDirectionVectors32_t* vectors = nullptr;
  if (curandGetDirectionVectors32(&vectors, CURAND_DIRECTION_VECTORS_32_JOEKUO6) != CURAND_STATUS_SUCCESS)
    throw UserError("--sampler sobol: cuRAND could not provide its Sobol' direction numbers");
  m.sobol_directions.assign(vectors[0], vectors[0] + 32 * static_cast<std::size_t>(n));
  m.sobol_shifts.clear();
  for (auto s : streams) m.sobol_shifts.push_back(shift_of(m.seed, s));
  m.sampler = kSobol;
}

}  // namespace buildout
