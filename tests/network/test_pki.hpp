#pragma once
// Certificates made in memory for the replay server: a test CA, a server certificate it signs
// for api.test and 127.0.0.1, one it signs for another host, and a self-signed one.
#include <filesystem>
#include <string>

namespace greentrain::test {

struct KeyPair {
  std::string certificate_pem;
  std::string private_key_pem;
};

struct TestPki {
  std::string ca_pem;
  std::filesystem::path ca_file;  // ca_pem written to a temporary file
  KeyPair server;                 // api.test, 127.0.0.1; signed by the CA
  KeyPair wrong_host;             // other.test; signed by the CA
  KeyPair self_signed;            // api.test; signed by itself
};

// Made once per process.
const TestPki& test_pki();

}  // namespace greentrain::test
