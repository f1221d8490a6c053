#include "greentrain/outputs/csv.hpp"

#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"

using namespace greentrain;

namespace {

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.emplace_back();
    else fields.back() += c;
  }
  return fields;
}

RunResult sample_run() {
  RunResult run;
  run.info.project = "fashion, mnist";  // a comma that must be quoted
  run.info.run_id = "run-1";
  run.info.cpu_model = "Intel(R) Xeon(R) Gold 6248";
  run.info.cpu_count = 40;
  run.info.ram_total_gb = 192;
  run.info.pue = 1.1;
  run.info.location = {.zone = "FR", .country_iso3 = "FRA", .country_name = "France",
                       .cloud_provider = "gcp", .cloud_region = "europe-west9"};
  run.total.duration = Seconds{100};
  run.total.cpu = {.energy = KilowattHours{0.002}, .mean_power = Watts{72}, .present = true};
  run.total.ram = {.energy = KilowattHours{0.001}, .mean_power = Watts{36}, .present = true};
  run.total.energy = KilowattHours{0.0033};
  run.total.emissions = GramsCo2e{0.2};
  return run;
}

std::string content_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A full disk, in this process only: files may not grow past `bytes` (RLIMIT_FSIZE), and the
// write that would pass it is cut short or fails with EFBIG instead of raising SIGXFSZ.
class DiskFullAt {
 public:
  explicit DiskFullAt(std::uintmax_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &before_);
    signal_before_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = before_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~DiskFullAt() {
    ::setrlimit(RLIMIT_FSIZE, &before_);
    ::signal(SIGXFSZ, signal_before_);
  }

 private:
  rlimit before_{};
  sighandler_t signal_before_{};
};

}  // namespace

TEST_CASE("emissions.csv has CodeCarbon's columns in CodeCarbon's order, then greentrain's",
          "[outputs][csv]") {
  CHECK(CsvOutput::header() ==
        "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power,"
        "gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,water_consumed,"
        "country_name,country_iso_code,region,cloud_provider,cloud_region,os,python_version,"
        "codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,"
        "ram_total_size,tracking_mode,cpu_utilization_percent,gpu_utilization_percent,"
        "ram_utilization_percent,ram_used_gb,on_cloud,pue,wue,process_cpu_share");
}

TEST_CASE("a row has every column, in CodeCarbon's units, with commas quoted", "[outputs][csv]") {
  auto run = sample_run();
  auto fields = split_csv(CsvOutput::row(run, run.total));
  const auto& names = CsvOutput::columns();
  REQUIRE(fields.size() == names.size());
  auto field = [&](std::string_view name) {
    return fields[std::find(names.begin(), names.end(), name) - names.begin()];
  };
  CHECK(field("project_name") == "fashion, mnist");
  CHECK(std::stod(field("duration")) == Approx(100));
  CHECK(std::stod(field("emissions")) == Approx(0.0002));        // kg
  CHECK(std::stod(field("emissions_rate")) == Approx(0.000002));  // kg/s
  CHECK(std::stod(field("cpu_power")) == Approx(72));             // W
  CHECK(std::stod(field("cpu_energy")) == Approx(0.0022));  // kWh, x PUE as CodeCarbon writes it
  CHECK(std::stod(field("energy_consumed")) == Approx(0.0033));
  CHECK(std::stod(field("cpu_energy")) + std::stod(field("gpu_energy")) +
            std::stod(field("ram_energy")) ==
        Approx(std::stod(field("energy_consumed"))));
  CHECK(field("gpu_power") == "0");
  CHECK(field("water_consumed").empty());  // no water model: no figure
  CHECK(field("country_iso_code") == "FRA");
  CHECK(field("cloud_region") == "europe-west9");
  CHECK(field("on_cloud") == "Y");
  CHECK(field("python_version").empty());
  CHECK(field("codecarbon_version").rfind("greentrain-", 0) == 0);
  CHECK(field("tracking_mode") == "machine");
  CHECK(std::stod(field("pue")) == Approx(1.1));
}

TEST_CASE("each task's row carries its own utilisation and the process share",
          "[outputs][csv][usage]") {
  test::TempDir dir;
  CsvOutput csv(dir.path());
  auto run = sample_run();
  run.total.usage = {.cpu_utilization_percent = 50.0, .process_cpu_share = 0.5};
  Emissions light = run.total, heavy = run.total;
  light.task = "light";
  light.usage = {.cpu_utilization_percent = 20.0, .ram_used_gb = 3.0, .process_cpu_share = 0.25};
  heavy.task = "heavy";
  heavy.usage = {.cpu_utilization_percent = 80.0, .ram_used_gb = 7.0, .process_cpu_share = 0.75};
  std::vector<Emissions> tasks{light, heavy};
  std::error_code ec;
  csv.write(run, tasks, ec);
  REQUIRE_FALSE(ec);
  auto rows = lines_of(dir.path() / "emissions_tasks.csv");
  REQUIRE(rows.size() == 3);
  auto header = split_csv(rows[0]);
  auto field = [&](const std::string& row, std::string_view name) {
    auto fields = split_csv(row);
    return fields.at(std::find(header.begin(), header.end(), name) - header.begin());
  };
  CHECK(field(rows[1], "cpu_utilization_percent") == "20");
  CHECK(field(rows[2], "cpu_utilization_percent") == "80");
  CHECK(field(rows[1], "ram_used_gb") == "3");
  CHECK(field(rows[2], "process_cpu_share") == "0.75");
  auto run_fields = split_csv(lines_of(csv.path())[1]);
  CHECK(run_fields.back() == "0.5");  // process_cpu_share, after CodeCarbon's columns
  CHECK(CsvOutput::columns().back() == "process_cpu_share");
}

TEST_CASE("rows are appended under the existing header", "[outputs][csv]") {
  test::TempDir dir;
  CsvOutput csv(dir.path());
  auto run = sample_run();
  std::error_code ec;
  csv.write(run, {}, ec);
  csv.write(run, {}, ec);
  REQUIRE_FALSE(ec);
  auto lines = lines_of(csv.path());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == CsvOutput::header());
  CHECK(lines[1] == lines[2]);
}

TEST_CASE("a file with another header is kept as a backup and a new file started",
          "[outputs][csv]") {
  test::TempDir dir;
  std::ofstream(dir / "emissions.csv") << "timestamp,project_name,emissions\n2024,old,1.0\n";
  std::error_code ec;
  auto kept = append_csv_row(dir / "emissions.csv", CsvOutput::header(), "new row\n", ec);
  REQUIRE_FALSE(ec);
  REQUIRE_FALSE(kept.empty());
  CHECK(lines_of(kept) ==
        std::vector<std::string>{"timestamp,project_name,emissions", "2024,old,1.0"});
  CHECK(lines_of(dir / "emissions.csv") ==
        std::vector<std::string>{CsvOutput::header(), "new row"});
}

TEST_CASE("a last line without newline is not glued to the next row", "[outputs][csv]") {
  test::TempDir dir;
  std::ofstream(dir / "e.csv") << "h1,h2\nrow1,a";
  std::error_code ec;
  append_csv_row(dir / "e.csv", "h1,h2", "row2,b\n", ec);
  REQUIRE_FALSE(ec);
  CHECK(lines_of(dir / "e.csv") == std::vector<std::string>{"h1,h2", "row1,a", "row2,b"});
}

TEST_CASE("per-task rows go to the task file with the task name first", "[outputs][csv]") {
  test::TempDir dir;
  CsvOutput csv(dir.path());
  auto run = sample_run();
  Emissions epoch = run.total;
  epoch.task = "epoch-0";
  std::vector<Emissions> tasks{epoch};
  std::error_code ec;
  csv.write(run, tasks, ec);
  REQUIRE_FALSE(ec);
  auto lines = lines_of(csv.task_path());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "task_name," + CsvOutput::header());
  CHECK(lines[1].rfind("epoch-0,", 0) == 0);
}

TEST_CASE("an unwritable directory is an error code, not an exception", "[outputs][csv]") {
  test::TempDir dir;
  std::ofstream(dir / "file") << "x";
  CsvOutput csv(dir / "file" / "sub");
  std::error_code ec;
  csv.write(sample_run(), {}, ec);
  CHECK(ec);
}

TEST_CASE("a row the disk has no room for is not written at all and the fault is reported",
          "[outputs][csv]") {
  test::TempDir dir;
  CsvOutput csv(dir.path());
  auto run = sample_run();
  std::error_code ec;
  csv.write(run, {}, ec);
  REQUIRE_FALSE(ec);
  const std::string whole = content_of(csv.path());
  for (std::uintmax_t room : {std::uintmax_t{100}, std::uintmax_t{0}}) {  // a short write, none
    {
      DiskFullAt full(whole.size() + room);
      csv.write(run, {}, ec);
    }
    CHECK(ec);
    CHECK(content_of(csv.path()) == whole);  // back to the last whole row
    ec.clear();
  }
  csv.write(run, {}, ec);  // room again: the next row follows the last whole one
  REQUIRE_FALSE(ec);
  CHECK(lines_of(csv.path()).size() == 3);
}

TEST_CASE("a new file the disk has no room for holds no half header", "[outputs][csv]") {
  test::TempDir dir;
  std::error_code ec;
  {
    DiskFullAt full(50);
    append_csv_row(dir / "e.csv", CsvOutput::header(), "a,b\n", ec);
  }
  CHECK(ec);
  CHECK(content_of(dir / "e.csv").empty());
  ec.clear();
  append_csv_row(dir / "e.csv", "h1,h2", "a,b\n", ec);
  CHECK(content_of(dir / "e.csv") == "h1,h2\na,b\n");
}

TEST_CASE("two header changes in the same second keep two backups, announced", "[outputs][csv]") {
  test::TempDir dir;
  CsvOutput csv(dir.path());
  std::vector<std::string> notices;
  csv.on_backup([&](const std::string& m) { notices.push_back(m); });
  for (std::string old : {"first", "second"}) {
    std::ofstream(dir / "emissions.csv")
        << "timestamp,project_name,emissions\n2024," << old << ",1.0\n";
    std::error_code ec;
    csv.write(sample_run(), {}, ec);
    REQUIRE_FALSE(ec);
  }
  auto backups = csv_backups(dir / "emissions.csv");
  REQUIRE(backups.size() == 2);
  CHECK(lines_of(backups[0])[1] == "2024,first,1.0");  // oldest first
  CHECK(lines_of(backups[1])[1] == "2024,second,1.0");
  REQUIRE(notices.size() == 2);
  CHECK_THAT(notices[1], Catch::Contains("had other columns") &&
                             Catch::Contains(backups[1].filename().string()));
}

TEST_CASE("backups are listed oldest first, by time stamp then counter", "[outputs][csv]") {
  test::TempDir dir;
  for (const char* name :
       {"e.csv.20260101T000001.000002-10.bak", "e.csv.20260101T000001.000002.bak",
        "e.csv.20260101T000001.000002-2.bak", "e.csv.20251231T235959.bak", "e.csv.bak",
        "other.csv.20250101T000000.bak", "e.csv"})
    std::ofstream(dir / name) << "x\n";
  std::vector<std::string> names;
  for (const auto& path : csv_backups(dir / "e.csv")) names.push_back(path.filename().string());
  CHECK(names == std::vector<std::string>{
                     "e.csv.20251231T235959.bak", "e.csv.20260101T000001.000002.bak",
                     "e.csv.20260101T000001.000002-2.bak", "e.csv.20260101T000001.000002-10.bak"});
}
