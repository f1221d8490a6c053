#pragma once
// What the command writes on stdout and stderr, with the registered secrets redacted (core/
// secrets.hpp): the commands print through cli::print, and run_command_line puts its streams
// behind a RedactingBuffer.
#include <fmt/format.h>

#include <cstdio>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

namespace greentrain::cli {

// Writes the text, redacted, to `to`.
void write_redacted(std::FILE* to, std::string_view text);

template <class... Args>
void print(std::FILE* to, fmt::format_string<Args...> format, Args&&... args) {
  write_redacted(to, fmt::format(format, std::forward<Args>(args)...));
}

template <class... Args>
void print(fmt::format_string<Args...> format, Args&&... args) {
  write_redacted(stdout, fmt::format(format, std::forward<Args>(args)...));
}

// Holds what is written until a line ends or the stream is flushed, then hands it on redacted to
// `target`: a secret written in pieces is still found whole.
class RedactingBuffer final : public std::streambuf {
 public:
  explicit RedactingBuffer(std::streambuf* target) : target_(target) {}
  ~RedactingBuffer() override;
  RedactingBuffer(const RedactingBuffer&) = delete;
  RedactingBuffer& operator=(const RedactingBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* text, std::streamsize size) override;
  int sync() override;

 private:
  void pass_on(std::size_t size);  // the first `size` bytes held
  void pass_on_lines();            // up to the last line break held

  std::streambuf* target_;
  std::string held_;
};

}  // namespace greentrain::cli
