// Checkpoints: a damaged file must be refused with a reason, never crash or
// load half.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input.hpp"
#include "greentrain/error.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"

namespace {

greentrain::trainer::TrainerConfig small_model() {
  greentrain::trainer::TrainerConfig config;
  config.model = {.inputs = 4, .hidden = {{.width = 3}}, .classes = 2};
  config.batch_size = 2;
  config.threads = 1;
  return config;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  // One trainer for the whole run: a refused load must leave it as it was.
  static greentrain::trainer::CpuTrainer trainer(small_model());
  greentrain::fuzz::MemoryFile file(data, size);
  if (!file.ok())
    return 0;
  try {
    trainer.load_checkpoint(file.path());
  } catch (const greentrain::error &) {
  }
  return 0;
}
