#pragma once
// Opt-in: run the trainer in a oneTBB arena the application already owns. Only code that uses
// oneTBB itself includes this header; the rest of greentrain keeps TBB out of its interface.
#include <tbb/task_arena.h>

#include "greentrain/trainer/cpu_trainer.hpp"

namespace greentrain::trainer {

inline void use_arena(TrainerConfig& config, tbb::task_arena& arena) { config.tbb_arena = &arena; }

}  // namespace greentrain::trainer
