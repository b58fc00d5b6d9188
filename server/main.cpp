// rtmd: the rtmkit server. A thin main over rtm::server::Server: flags, config file, signals.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <thread>

#include "core/common/log.hpp"
#include "core/server/server.hpp"
#include "core/token/token.hpp"

namespace {

const char* kUsage = R"(usage: rtmd [options]
       rtmd token 007 --app-id ID --app-cert CERT --user UID [--expire SECONDS]   (or RTM_APP_CERT=CERT)
       rtmd token 006 --app-id ID --app-cert CERT --user UID
       rtmd token sig --app-id ID --app-cert CERT --user ACCOUNT [--expire SECONDS]   (legacy Signaling)

options:
  --config FILE          JSON configuration file (docs/configuration.md)
  --listen HOST:PORT     add a ws:// listener (default 127.0.0.1:9600)
  --tls-listen HOST:PORT add a wss:// listener
  --tls-cert FILE        PEM certificate chain for wss
  --tls-key FILE         PEM private key for wss
  --dev                  development defaults: wss on 127.0.0.1:9601 too, with a generated
                         self-signed certificate under the data directory when none is configured
  --app ID[:CERT]        accept this app id (with an app certificate: tokens required); repeatable
  --data-dir DIR         where the offline store and generated files live (default ./rtmd-data)
  --threads N            I/O threads (default: the number of cores)
  --log-level LEVEL      trace, debug, info, warn, error, off (default info)
  --log-format FORMAT    text (default) or json: one JSON object per line on stderr
  --no-rate-limits       turn every per-client rate limit off (load tests)
  --rest-credential KEY:SECRET[:APP,...]
                         a customer key and secret for the REST API's Basic authentication,
                         optionally limited to some apps; repeatable (docs/rest-api.md)
  --version              print the version and exit
  --help

HTTP on the same listeners: GET /healthz, /readyz and /metrics (Prometheus text), and the REST
API under /dev/v2/project/<appid>/rtm/ (docs/rest-api.md).
)";

int token_command(int argc, char** argv) {
  if (argc < 3) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string kind = argv[2], app, cert, user;
  unsigned long expire = 3600;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--app-id") app = next();
    else if (a == "--app-cert") cert = next();
    else if (a == "--user") user = next();
    else if (a == "--expire") expire = std::stoul(next());
    else throw std::runtime_error("unknown option " + a);
  }
  // The certificate may come from the environment, which keeps it out of the process list.
  if (cert.empty())
    if (const char* env = std::getenv("RTM_APP_CERT")) cert = env;
  if (app.empty() || cert.empty() || user.empty())
    throw std::runtime_error("--app-id, --app-cert (or RTM_APP_CERT) and --user are required");
  if (expire > 0xffffffffUL) throw std::runtime_error("--expire is out of range");
  if (kind == "007") std::cout << rtm::token::build_rtm_token_007(app, cert, user, static_cast<uint32_t>(expire)) << "\n";
  else if (kind == "006") std::cout << rtm::token::build_rtm_token_006(app, cert, user) << "\n";
  else if (kind == "sig")
    std::cout << rtm::token::build_signaling_token(
                     app, cert, user, static_cast<uint32_t>(std::min<uint64_t>(0xffffffffULL, std::time(nullptr) + expire)))
              << "\n";
  else throw std::runtime_error("token kind must be 007, 006 or sig");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using rtm::server::ServerConfig;
  try {
    if (argc >= 2 && std::strcmp(argv[1], "token") == 0) return token_command(argc, argv);

    ServerConfig cfg;
    std::string error;
    // The config file is read first so that flags override it.
    for (int i = 1; i + 1 < argc; ++i)
      if (std::strcmp(argv[i], "--config") == 0 && !rtm::server::load_config_file(argv[i + 1], cfg, error))
        throw std::runtime_error(error);
    bool flag_listen = false;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      auto next = [&]() -> std::string {
        if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
        return argv[++i];
      };
      if (a == "--help" || a == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      } else if (a == "--version") {
        std::printf("rtmd %s\n", rtm::server::project_version());
        return 0;
      } else if (a == "--config") {
        next();
      } else if (a == "--listen" || a == "--tls-listen") {
        rtm::server::ListenConfig lc;
        if (!rtm::server::parse_listen(next(), a == "--tls-listen", lc)) throw std::runtime_error("bad address for " + a);
        if (!flag_listen) cfg.listen.clear();
        flag_listen = true;
        cfg.listen.push_back(lc);
      } else if (a == "--tls-cert") cfg.tls_cert_file = next();
      else if (a == "--tls-key") cfg.tls_key_file = next();
      else if (a == "--dev") cfg.dev = true;
      else if (a == "--app") {
        std::string v = next();
        auto colon = v.find(':');
        rtm::server::AppConfig app;
        app.app_id = v.substr(0, colon);
        if (colon != std::string::npos) app.certificate = v.substr(colon + 1);
        cfg.apps.push_back(app);
      } else if (a == "--data-dir") cfg.data_dir = next();
      else if (a == "--threads") cfg.io_threads = static_cast<unsigned>(std::stoul(next()));
      else if (a == "--log-level") cfg.log_level = next();
      else if (a == "--log-format") {
        cfg.log_format = next();
        if (cfg.log_format != "text" && cfg.log_format != "json") throw std::runtime_error("--log-format is text or json");
      }
      else if (a == "--no-rate-limits") rtm::server::disable_rate_limits(cfg.rate);
      else if (a == "--rest-credential") {
        rtm::server::RestCredential rc;
        if (!rtm::server::parse_rest_credential(next(), rc))
          throw std::runtime_error("--rest-credential needs KEY:SECRET or KEY:SECRET:APP[,APP...]");
        cfg.rest.credentials.push_back(rc);
      }
      else throw std::runtime_error("unknown option " + a + " (see --help)");
    }
    rtm::log::Level level;
    if (!rtm::log::parse_level(cfg.log_level, level)) throw std::runtime_error("bad log level " + cfg.log_level);
    rtm::log::set_level(level);
    rtm::log::set_json(cfg.log_format == "json");

    // Signals are taken synchronously by a dedicated wait so that shutdown runs on an ordinary thread.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    rtm::server::Server server(cfg);
    server.start();
    std::fprintf(stdout, "rtmd ready: ws port %u%s\n", server.port(false),
                 server.port(true) ? (", wss port " + std::to_string(server.port(true))).c_str() : "");
    std::fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    RTM_LOG(info, "rtmd", "signal " << sig << ": shutting down");
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtmd: %s\n", e.what());
    return 1;
  }
}
