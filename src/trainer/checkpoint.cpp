#include "trainer/checkpoint.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>

#include "core/bounded_file.hpp"
#include "greentrain/error.hpp"

namespace greentrain::trainer::detail {
namespace {

constexpr std::string_view magic{"GTCKPT\r\n"};
constexpr std::uint32_t byte_order_mark = 0x01020304;
constexpr std::uint64_t max_hidden_layers = 1024;

class Writer {
 public:
  template <class T>
  void put(T value) {
    const auto* p = reinterpret_cast<const char*>(&value);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  void put(const std::vector<float>& values) {
    put<std::uint64_t>(values.size());
    if (values.empty()) return;  // data() may be null
    const auto* p = reinterpret_cast<const char*>(values.data());
    bytes_.insert(bytes_.end(), p, p + values.size() * sizeof(float));
  }
  void put_raw(std::string_view s) { bytes_.insert(bytes_.end(), s.begin(), s.end()); }
  std::vector<char>& bytes() { return bytes_; }

 private:
  std::vector<char> bytes_;
};

class Reader {
 public:
  Reader(const std::filesystem::path& file, const char* data, std::size_t size)
      : file_(file), data_(data), size_(size) {}

  template <class T>
  T get(const char* what) {
    need(sizeof(T), what);
    T value;
    std::memcpy(&value, data_ + offset_, sizeof(T));
    offset_ += sizeof(T);
    return value;
  }
  std::vector<float> get_floats(const char* what) {
    auto count = get<std::uint64_t>(what);
    // Compared as a count: count * sizeof(float) can wrap around for a damaged count.
    if (count > (size_ - offset_) / sizeof(float))
      throw error(errc::corrupt_checkpoint,
                  fmt::format("{}: truncated: {} declares {} floats, {} bytes remain",
                              file_.string(), what, count, size_ - offset_));
    std::vector<float> values(count);
    if (count) std::memcpy(values.data(), data_ + offset_, count * sizeof(float));
    offset_ += count * sizeof(float);
    return values;
  }
  void expect_end() {
    if (offset_ != size_)
      throw error(errc::corrupt_checkpoint,
                  fmt::format("{}: {} unexpected bytes after the payload", file_.string(), size_ - offset_));
  }

 private:
  void need(std::size_t bytes, const char* what) {
    if (size_ - offset_ < bytes)
      throw error(errc::corrupt_checkpoint,
                  fmt::format("{}: truncated at byte {} reading {}", file_.string(), offset_, what));
  }
  const std::filesystem::path& file_;
  const char* data_;
  std::size_t size_;
  std::size_t offset_ = 0;
};

std::uint32_t crc_of(const char* data, std::size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {
    auto chunk = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

[[noreturn]] void fail_io(const std::filesystem::path& file, const char* action) {
  throw error(errc::io_error, fmt::format("cannot {} {}: {}", action, file.string(),
                                          std::generic_category().message(errno)));
}

void write_all(int fd, const std::vector<char>& bytes, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_io(file, "write");
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void write_checkpoint(const std::filesystem::path& file, const CheckpointData& data) {
  Writer w;
  w.put_raw(magic);
  w.put(checkpoint_version);
  w.put(byte_order_mark);
  w.put<std::uint64_t>(data.model.inputs);
  w.put<std::uint64_t>(data.model.hidden.size());
  for (const auto& layer : data.model.hidden) {
    w.put<std::uint64_t>(layer.width);
    w.put<std::uint32_t>(static_cast<std::uint32_t>(layer.activation));
    w.put<float>(layer.dropout);
  }
  w.put<std::uint64_t>(data.model.classes);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(data.optimizer));
  w.put(data.epoch);
  w.put(data.step);
  w.put(data.seed);
  w.put(data.batch_size);
  w.put(data.parameters);
  w.put(data.first_moment);
  w.put(data.second_moment);
  w.put(crc_of(w.bytes().data(), w.bytes().size()));

  auto temporary = file;
  temporary += fmt::format(".tmp.{}", ::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_io(temporary, "create");
  try {
    write_all(fd, w.bytes(), temporary);
    if (::fsync(fd) != 0) fail_io(temporary, "fsync");
  } catch (...) {
    ::close(fd);
    std::filesystem::remove(temporary);
    throw;
  }
  ::close(fd);
  if (std::rename(temporary.c_str(), file.c_str()) != 0) {
    int saved = errno;
    std::filesystem::remove(temporary);
    errno = saved;
    fail_io(file, "rename the temporary checkpoint onto");
  }
  auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // best effort: the rename is durable once the folder is
    ::close(dir);
  }
}

CheckpointData read_checkpoint(const std::filesystem::path& file) {
  std::string bytes = greentrain::detail::read_regular_file(
      file, greentrain::detail::max_checkpoint_bytes, "a checkpoint `greentrain train` wrote");
  auto corrupt = [&](const std::string& why) {
    return error(errc::corrupt_checkpoint, fmt::format("{}: {}", file.string(), why));
  };
  if (bytes.size() < magic.size() || std::string_view(bytes.data(), magic.size()) != magic)
    throw corrupt("not a greentrain checkpoint (wrong magic bytes)");
  if (bytes.size() < magic.size() + 12) throw corrupt("truncated header");
  Reader header(file, bytes.data() + magic.size(), 8);
  auto version = header.get<std::uint32_t>("the format version");
  if (version != checkpoint_version)
    throw corrupt(fmt::format("format version {}, this build reads version {}", version,
                              checkpoint_version));
  if (header.get<std::uint32_t>("the byte-order mark") != byte_order_mark)
    throw corrupt("written on a machine of the other byte order");
  std::uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  // Fuzzing builds read past a wrong checksum, so the fuzzer reaches the parser behind it.
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (stored_crc != crc_of(bytes.data(), bytes.size() - 4))
    throw corrupt("checksum mismatch: the file is damaged or truncated");
#endif

  std::size_t start = magic.size() + 8;
  Reader r(file, bytes.data() + start, bytes.size() - start - 4);
  CheckpointData data;
  data.model.inputs = r.get<std::uint64_t>("the input count");
  auto hidden = r.get<std::uint64_t>("the hidden layer count");
  if (hidden > max_hidden_layers) throw corrupt(fmt::format("{} hidden layers", hidden));
  for (std::uint64_t i = 0; i < hidden; ++i) {
    HiddenLayer layer;
    layer.width = r.get<std::uint64_t>("a layer width");
    layer.activation = static_cast<Activation>(r.get<std::uint32_t>("an activation"));
    layer.dropout = r.get<float>("a dropout rate");
    data.model.hidden.push_back(layer);
  }
  data.model.classes = r.get<std::uint64_t>("the class count");
  data.optimizer = static_cast<OptimizerKind>(r.get<std::uint32_t>("the optimiser"));
  data.epoch = r.get<std::uint64_t>("the epoch");
  data.step = r.get<std::uint64_t>("the step");
  data.seed = r.get<std::uint64_t>("the seed");
  data.batch_size = r.get<std::uint64_t>("the batch size");
  data.parameters = r.get_floats("the parameters");
  data.first_moment = r.get_floats("the optimiser's first moment");
  data.second_moment = r.get_floats("the optimiser's second moment");
  r.expect_end();
  return data;
}

}  // namespace greentrain::trainer::detail
