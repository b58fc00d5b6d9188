#include "core/server/tls.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace rtm::server {
namespace {
template <class T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Free<X509, X509_free>>;
using Ext = std::unique_ptr<X509_EXTENSION, Free<X509_EXTENSION, X509_EXTENSION_free>>;

bool add_ext(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}
}  // namespace

bool generate_self_signed(const std::string& cert_path, const std::string& key_path, std::string& error) {
  PKey key(EVP_EC_gen("P-256"));
  Cert cert(X509_new());
  if (!key || !cert) { error = "key generation failed"; return false; }
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_set_version(cert.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("rtmkit development"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!add_ext(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign")) {
    error = "cannot add certificate extensions";
    return false;
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) { error = "signing failed"; return false; }

  // The key file is created with 0600 before anything is written to it.
  mode_t old = umask(077);
  FILE* kf = std::fopen(key_path.c_str(), "wb");
  umask(old);
  if (!kf) { error = "cannot write " + key_path; return false; }
  bool ok = PEM_write_PrivateKey(kf, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  ok = (std::fclose(kf) == 0) && ok;
  FILE* cf = std::fopen(cert_path.c_str(), "wb");
  if (!cf) { error = "cannot write " + cert_path; return false; }
  ok = PEM_write_X509(cf, cert.get()) == 1 && ok;
  ok = (std::fclose(cf) == 0) && ok;
  if (!ok) error = "cannot write the PEM files";
  return ok;
}

}  // namespace rtm::server
