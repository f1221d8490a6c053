#pragma once
// Every public header of greentrain but one, for a program that would rather not pick:
//
//   #include <greentrain/greentrain.hpp>
//
// Like each header it includes, it names only the standard library: no Beast, OpenSSL, simdjson,
// oneDNN, oneTBB or MPI header. Left out: <greentrain/trainer/tbb_arena.hpp>, which includes oneTBB
// (include it yourself to train in your own arena). Declarations cost nothing at link time; link
// the target of each component you call (docs/api.md): greentrain::greentrain for the core,
// greentrain::regions for the live providers, greentrain::trainer, greentrain::mpi,
// greentrain::server. tests/packaging checks that every other public header is listed here.

// Know: track a run.
#include "greentrain/budget.hpp"
#include "greentrain/clock.hpp"
#include "greentrain/emissions.hpp"
#include "greentrain/error.hpp"
#include "greentrain/provenance.hpp"
#include "greentrain/summary.hpp"
#include "greentrain/tracker.hpp"
#include "greentrain/units.hpp"

// Configuration in layers, and the time-zone guess of `location = "auto"`.
#include "greentrain/config.hpp"
#include "greentrain/time_zone.hpp"

// Measure: sensors.
#include "greentrain/sensors/cpu_model.hpp"
#include "greentrain/sensors/cpu_tdp.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "greentrain/sensors/discovery.hpp"
#include "greentrain/sensors/file_opener.hpp"
#include "greentrain/sensors/gpu_model.hpp"
#include "greentrain/sensors/nvml.hpp"
#include "greentrain/sensors/powercap.hpp"
#include "greentrain/sensors/ram_model.hpp"
#include "greentrain/sensors/sensor.hpp"
#include "greentrain/sensors/user_power.hpp"

// Convert: grid intensity (the live providers link greentrain::regions).
#include "greentrain/intensity/cache.hpp"
#include "greentrain/intensity/catalog.hpp"
#include "greentrain/intensity/electricitymaps.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "greentrain/intensity/fallback.hpp"
#include "greentrain/intensity/fixed.hpp"
#include "greentrain/intensity/http_options.hpp"
#include "greentrain/intensity/live.hpp"
#include "greentrain/intensity/intensity_range.hpp"
#include "greentrain/intensity/location.hpp"
#include "greentrain/intensity/provider.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/intensity/trace.hpp"
#include "greentrain/intensity/watttime.hpp"

// Report: outputs (the live server links greentrain::server).
#include "greentrain/outputs/callback.hpp"
#include "greentrain/outputs/csv.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/outputs/output.hpp"
#include "greentrain/report.hpp"
#include "greentrain/server.hpp"

// Decide: where and when.
#include "greentrain/region_picker.hpp"
#include "greentrain/scheduling/estimate.hpp"
#include "greentrain/scheduling/job_estimate.hpp"
#include "greentrain/scheduling/window.hpp"

// Train: the CPU trainer (links greentrain::trainer; mpi_data_parallel.hpp greentrain::mpi).
#include "greentrain/trainer/carbon_policy.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"
#include "greentrain/trainer/csv_reader.hpp"
#include "greentrain/trainer/data_parallel.hpp"
#include "greentrain/trainer/dataset.hpp"
#include "greentrain/trainer/host_energy.hpp"
#include "greentrain/trainer/idx_reader.hpp"
#include "greentrain/trainer/model_spec.hpp"
#include "greentrain/trainer/mpi_data_parallel.hpp"
#include "greentrain/trainer/observer.hpp"
#include "greentrain/trainer/optimizer.hpp"
#include "greentrain/trainer/precision.hpp"
#include "greentrain/trainer/run_forecast.hpp"
#include "greentrain/trainer/tracked_training.hpp"
