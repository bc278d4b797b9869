#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace imgline::test {

/// A child process (the real imgline binary) with stdout and stderr captured. The destructor
/// kills it if it is still running.
class ChildProcess {
public:
    ChildProcess(const std::string& program,
                 const std::vector<std::string>& args,
                 const std::vector<std::string>& extra_env = {});
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Reads stderr until a line contains `needle`; returns that line, or nullopt on timeout
    /// or exit.
    std::optional<std::string> wait_for_stderr_line(const std::string& needle,
                                                    std::chrono::milliseconds timeout);

    void signal(int signal_number);

    /// Waits for exit; the exit code, or nullopt on timeout (or death by signal).
    std::optional<int> wait(std::chrono::milliseconds timeout);

    /// Everything read so far from stderr / stdout (call after wait()).
    const std::string& stderr_text() const {
        return stderr_;
    }

    const std::string& stdout_text() const {
        return stdout_;
    }

private:
    void drain(bool block_until_eof);

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string stdout_;
    std::string stderr_;
    bool reaped_ = false;
};

/// The port in the line `imgline serve` prints when it listens ("serving on http://…:PORT").
unsigned short port_from_serving_line(const std::string& line);

/// Starts the real binary's `imgline serve --listen 127.0.0.1:0 --data DATA` with `env` added,
/// waits until it says where it serves, and gives the port; throws when it does not start.
unsigned short start_imgline(std::unique_ptr<ChildProcess>& child,
                             const std::string& data_dir,
                             const std::vector<std::string>& env = {});

/// Runs a command to completion (at most `timeout`) and returns its exit code and output.
struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

RunResult run_command(const std::string& program,
                      const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace imgline::test
