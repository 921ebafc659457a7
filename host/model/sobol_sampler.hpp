#pragma once
// Quasi-Monte Carlo (`--sampler sobol`): each random input of the model (a
// common factor, a draw's stream, a later flagship's success) is one dimension
// of a Sobol' sequence, in model order, so the factors and the market take the
// first dimensions, whose projections are the most uniform. A phase's shared
// draws share their stream, and so their dimension.
#include "compiled_model.hpp"

namespace buildout {

// Numbers the model's random inputs (compile_model calls it; Philox ignores them).
void assign_input_dimensions(CompiledModel& m);

// Most dimensions cuRAND's Joe-Kuo direction numbers provide.
constexpr int kMaxSobolDimensions = 20000;

// Switches m to scrambled Sobol' points: cuRAND's direction numbers for its dimensions, and a
// digital shift per dimension from the seed and the input's stream (its scramble). UserError
// when the model has more inputs than there are dimensions or when cuRAND cannot give them.
void use_sobol_sampler(CompiledModel& m);

}  // namespace buildout
