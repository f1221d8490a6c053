#pragma once
// Catch2 v2 has no SKIP: a case that cannot run on this machine warns in this
// form and returns, and ctest (SKIP_REGULAR_EXPRESSION in greentrain_add_test)
// reports it skipped, not passed.
#include <catch2/catch.hpp>

#include "greentrain/trainer/precision.hpp"

#define GREENTRAIN_SKIP(reason)    \
  do {                             \
    WARN("SKIPPED: " << (reason)); \
    return;                        \
  } while (false)

// The bf16 cases: the trainer refuses bf16 on a CPU without its instructions.
#define GREENTRAIN_REQUIRE_BF16()                                                          \
  do {                                                                                     \
    if (!greentrain::trainer::cpu_supports_bf16()) GREENTRAIN_SKIP("no bf16 on this CPU"); \
  } while (false)
