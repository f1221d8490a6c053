#pragma once
// The energy of a data-parallel run over all its hosts, each host counted once. A tracker on a
// rank measures the whole machine the rank runs on, so two ranks on one host would count it twice:
// only each host's reading rank (DataParallel::reads_host_energy) contributes its figures, and the
// sum lands on rank 0.
//
//   auto cluster = sum_host_energy(*config.data_parallel, tracker.stop().total);
//   if (config.data_parallel->writes_outputs()) report(cluster);
#include "greentrain/emissions.hpp"
#include "greentrain/trainer/data_parallel.hpp"

namespace greentrain::trainer {

struct HostEnergy {
  KilowattHours cpu{}, gpu{}, ram{};  // IT energy, before PUE
  KilowattHours energy{};             // x each host's PUE
  GramsCo2e emissions{};              // at each host's grid intensity
  int hosts = 0;                      // hosts counted
  int hosts_measured = 0;             // of them, hosts whose CPU energy came from a counter
};

// Collective: every rank calls it with its own tracker's figures (RunResult::total, or a task's).
// The sum over hosts is valid on rank 0; every other rank gets back its own contribution, which is
// zero where it does not read its host.
HostEnergy sum_host_energy(DataParallel& ranks, const Emissions& local);

}  // namespace greentrain::trainer
