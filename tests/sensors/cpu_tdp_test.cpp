#include <catch2/catch.hpp>

#include "greentrain/sensors/cpu_tdp.hpp"

using namespace greentrain::sensors;

TEST_CASE("CPU names lose trademarks, clock and core count before matching", "[sensors][tdp]") {
  CHECK(normalise_cpu_name("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz") == "Intel Xeon Gold 6248");
  CHECK(normalise_cpu_name("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz") == "Intel Core i7-8650U");
  CHECK(normalise_cpu_name("AMD Ryzen 7 5800X 8-Core Processor") == "AMD Ryzen 7 5800X");
  CHECK(normalise_cpu_name("AMD EPYC 7742 64-Core Processor") == "AMD EPYC 7742");
}

TEST_CASE("known Intel and AMD CPUs get their TDP from the embedded table", "[sensors][tdp]") {
  CHECK(lookup_cpu_tdp("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 80).tdp_w == Approx(150.0));
  CHECK(lookup_cpu_tdp("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", 8).tdp_w == Approx(15.0));
  CHECK(lookup_cpu_tdp("Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", 8).tdp_w == Approx(28.0));
  auto epyc = lookup_cpu_tdp("AMD EPYC 7742 64-Core Processor", 128);
  CHECK(epyc.tdp_w == Approx(225.0));
  REQUIRE(epyc.matched);
  CHECK(epyc.matched->name == "AMD EPYC 7742");
  CHECK(epyc.describe() == "225.0 W TDP ['AMD EPYC 7742' 225.0 W in the TDP table]");
}

TEST_CASE("a two-socket machine draws the TDP of each socket", "[sensors][tdp]") {
  auto xeon = lookup_cpu_tdp("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 80, 2);
  CHECK(xeon.tdp_w == Approx(300.0));
  CHECK_THAT(xeon.describe(), Catch::Contains("x 2 sockets"));
}

TEST_CASE("an unknown CPU gets CodeCarbon's 4 W per thread, and says so", "[sensors][tdp]") {
  auto vm = lookup_cpu_tdp("AMD EPYC", 2);
  CHECK_FALSE(vm.matched);
  CHECK(vm.tdp_w == Approx(8.0));
  CHECK(vm.describe() == "8.0 W TDP [default: 4 W x 2 threads, CPU 'AMD EPYC' not in table]");
}

TEST_CASE("the most specific matching row wins", "[sensors][tdp]") {
  auto table = parse_tdp_table("Name,TDP\nXeon 6248,100\nIntel Xeon Gold 6248,150\nIntel Xeon,90\n");
  auto match = match_cpu(table, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz");
  REQUIRE(match);
  CHECK(match->tdp_w == Approx(150.0));
}

TEST_CASE("equally specific rows that disagree give no match", "[sensors][tdp]") {
  auto table = parse_tdp_table("Name,TDP\nFoo 100,10\nBar 100,20\n");
  CHECK_FALSE(match_cpu(table, "Foo Bar 100"));
  CHECK(match_cpu(table, "Foo 100")->tdp_w == Approx(10.0));
}

TEST_CASE("a row without a model number never matches", "[sensors][tdp]") {
  auto table = parse_tdp_table("Name,TDP\nAMD EPYC,180\n");
  CHECK_FALSE(match_cpu(table, "AMD EPYC"));
}

TEST_CASE("malformed TDP rows are skipped and counted; quoted names keep their commas", "[sensors][tdp]") {
  auto table = parse_tdp_table(
      "Name,TDP\r\nIntel Celeron 1000A,27.29.5\r\nGood 1,5\r\n"
      "\"Intel EP80579 Integrated, 1066 MHz\",18.0\r\nNo watts,\r\n,12\r\n");
  CHECK(table.malformed_rows == 3);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[1].name == "Intel EP80579 Integrated, 1066 MHz");
  CHECK(table.rows[1].tdp_w == Approx(18.0));
}

TEST_CASE("the embedded table parses with its malformed rows skipped", "[sensors][tdp]") {
  const auto& table = embedded_tdp_table();
  // Four Celerons with TDPs like "27.29.5", and a microcontroller listed at 0 W.
  CHECK(table.malformed_rows == 5);
  CHECK(table.rows.size() == 4898);
}
