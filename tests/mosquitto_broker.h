#pragma once
// A real mosquitto broker for the feed tests and the MQTT benchmark: started on a free loopback
// port with a generated configuration (password file when mosquitto_passwd exists, persistence
// off) in a scratch folder, stopped when the object goes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace parktwin::test {

/// The mosquitto executable, or an empty path when it is not installed.
inline std::filesystem::path mosquittoExecutable() {
    for (const char* p : {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"})
        if (std::filesystem::exists(p))
            return p;
    return {};
}

inline std::filesystem::path mosquittoPasswdExecutable() {
    for (const char* p : {"/usr/bin/mosquitto_passwd", "/usr/local/bin/mosquitto_passwd"})
        if (std::filesystem::exists(p))
            return p;
    return {};
}

/// A TCP port on 127.0.0.1 that nothing listens on at the moment of asking.
inline int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot find a free loopback port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

inline bool portAccepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

class MosquittoBroker {
public:
    /// Writes the configuration in `dir`; with a user name, anonymous clients are refused and
    /// the password file is made with mosquitto_passwd (anonymous access when it is missing).
    MosquittoBroker(const std::filesystem::path& dir, std::string user = "",
                    std::string password = "", int port = 0)
        : dir_(dir), port_(port ? port : freeLoopbackPort()), user_(std::move(user)),
          password_(std::move(password)) {
        std::filesystem::create_directories(dir_);
        const auto passwd = mosquittoPasswdExecutable();
        const bool auth = !user_.empty() && !passwd.empty();
        if (auth) {
            const std::string cmd = passwd.string() + " -c -b '" + (dir_ / "passwd").string() +
                                    "' '" + user_ + "' '" + password_ + "' >/dev/null 2>&1";
            if (std::system(cmd.c_str()) != 0)
                throw std::runtime_error("mosquitto_passwd failed");
        }
        std::ofstream conf(dir_ / "mosquitto.conf");
        conf << "listener " << port_ << " 127.0.0.1\n"
             << "allow_anonymous " << (auth ? "false" : "true") << "\n"
             << (auth ? "password_file " + (dir_ / "passwd").string() + "\n" : "")
             << "persistence false\n"
             << "user root\n"
             << "max_queued_messages 100000\n"
             << "log_dest file " << (dir_ / "mosquitto.log").string() << "\n"
             << "log_type error\nlog_type warning\nlog_type notice\n";
        authenticated_ = auth;
    }
    ~MosquittoBroker() { stop(); }
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    /// Starts the broker and waits (up to 10 s) until it accepts connections.
    void start() {
        const auto exe = mosquittoExecutable();
        if (exe.empty())
            throw std::runtime_error("mosquitto is not installed");
        pid_ = ::fork();
        if (pid_ == 0) {
            const std::string conf = (dir_ / "mosquitto.conf").string();
            ::execl(exe.c_str(), "mosquitto", "-c", conf.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!portAccepts(port_)) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("mosquitto exited at start; see " +
                                         (dir_ / "mosquitto.log").string());
            }
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("mosquitto did not listen within 10 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    void stop() {
        if (pid_ <= 0)
            return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    int port() const { return port_; }
    bool authenticated() const { return authenticated_; }
    const std::string& user() const { return user_; }
    const std::string& password() const { return password_; }

private:
    std::filesystem::path dir_;
    int port_;
    std::string user_, password_;
    bool authenticated_ = false;
    pid_t pid_ = -1;
};

} // namespace parktwin::test
