#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace imgline::test {

ChildProcess::ChildProcess(const std::string& program,
                           const std::vector<std::string>& args,
                           const std::vector<std::string>& extra_env) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> env_strings;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        env_strings.emplace_back(*entry);
    }
    env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : env_strings) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        ::execve(program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
}

ChildProcess::~ChildProcess() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    for (int fd : {out_fd_, err_fd_}) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

void ChildProcess::drain(bool block_until_eof) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    while (true) {
        const int ready = ::poll(fds, 2, block_until_eof ? 1000 : 0);
        if (ready <= 0) {
            return;
        }
        bool any = false;
        for (int i = 0; i < 2; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP)) != 0) {
                char chunk[4096];
                const auto got = ::read(fds[i].fd, chunk, sizeof(chunk));
                if (got > 0) {
                    (i == 0 ? stdout_ : stderr_).append(chunk, static_cast<std::size_t>(got));
                    any = true;
                } else {
                    fds[i].fd = -1;  // EOF: stop polling it
                }
            }
        }
        if (!any && (!block_until_eof || (fds[0].fd < 0 && fds[1].fd < 0))) {
            return;
        }
    }
}

std::optional<std::string> ChildProcess::wait_for_stderr_line(const std::string& needle,
                                                              std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        drain(false);
        std::size_t start = 0;
        while (true) {
            const auto end = stderr_.find('\n', start);
            if (end == std::string::npos) {
                break;
            }
            const std::string line = stderr_.substr(start, end - start);
            if (line.find(needle) != std::string::npos) {
                return line;
            }
            start = end + 1;
        }
        int status = 0;
        if (!reaped_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
            reaped_ = true;
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

void ChildProcess::signal(int signal_number) {
    ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
        drain(false);
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            reaped_ = true;
            drain(true);
            if (WIFEXITED(status)) {
                return WEXITSTATUS(status);
            }
            return std::nullopt;
        }
        if (std::chrono::steady_clock::now() > until) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

RunResult run_command(const std::string& program,
                      const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout) {
    ChildProcess child(program, args);
    const auto code = child.wait(timeout);
    return RunResult{code.value_or(-1), child.stdout_text(), child.stderr_text()};
}

unsigned short port_from_serving_line(const std::string& line) {
    const auto colon = line.rfind(':', line.find('/', line.find("http://") + 7));
    return static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
}

unsigned short start_imgline(std::unique_ptr<ChildProcess>& child,
                             const std::string& data_dir,
                             const std::vector<std::string>& env) {
    child = std::make_unique<ChildProcess>(
        IMGLINE_BINARY,
        std::vector<std::string>{"serve", "--listen", "127.0.0.1:0", "--data", data_dir}, env);
    const auto line = child->wait_for_stderr_line("serving on http://", std::chrono::seconds(20));
    if (!line) {
        child->wait(std::chrono::seconds(5));
        throw std::runtime_error("imgline serve did not start: " + child->stderr_text());
    }
    return port_from_serving_line(*line);
}

}  // namespace imgline::test
