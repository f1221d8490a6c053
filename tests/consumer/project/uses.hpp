#pragma once
// One tiny use of each component; each returns whether its figures came out right.
#include <filesystem>

bool use_tracker(const std::filesystem::path& dir);
bool use_regions();
bool use_trainer();
bool use_mpi();
bool use_server(const std::filesystem::path& dir);
