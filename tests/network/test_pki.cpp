#include "network/test_pki.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace greentrain::test {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

Key new_key() {
  Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(key != nullptr, "key generation");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// issuer == nullptr: self-signed.
Cert new_certificate(EVP_PKEY* key, const char* common_name, const char* alt_names, X509* issuer,
                     EVP_PKEY* issuer_key, bool is_ca, long serial) {
  Cert cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 30);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  add_extension(cert.get(), signer, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (is_ca) {
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid");
    add_extension(cert.get(), signer, NID_subject_alt_name, alt_names);
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
  }
  check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "signing");
  return cert;
}

std::string pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

std::string pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

TestPki make_pki() {
  TestPki pki;
  auto ca_key = new_key();
  auto ca = new_certificate(ca_key.get(), "greentrain test CA", nullptr, nullptr, nullptr, true, 1);
  pki.ca_pem = pem(ca.get());

  auto leaf = [&](const char* cn, const char* alt, bool self_signed, long serial) {
    auto key = new_key();
    auto cert = self_signed
                    ? new_certificate(key.get(), cn, alt, nullptr, nullptr, false, serial)
                    : new_certificate(key.get(), cn, alt, ca.get(), ca_key.get(), false, serial);
    return KeyPair{pem(cert.get()), pem(key.get())};
  };
  pki.server = leaf("api.test", "DNS:api.test,DNS:localhost,IP:127.0.0.1", false, 2);
  pki.wrong_host = leaf("other.test", "DNS:other.test", false, 3);
  pki.self_signed = leaf("api.test", "DNS:api.test,IP:127.0.0.1", true, 4);

  pki.ca_file = std::filesystem::temp_directory_path() /
                ("greentrain-test-ca-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(pki.ca_file) << pki.ca_pem;
  return pki;
}

}  // namespace

const TestPki& test_pki() {
  struct Holder {
    TestPki pki = make_pki();
    ~Holder() {
      std::error_code ignored;
      std::filesystem::remove(pki.ca_file, ignored);
    }
  };
  static const Holder holder;
  return holder.pki;
}

}  // namespace greentrain::test
