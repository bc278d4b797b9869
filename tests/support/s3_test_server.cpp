#include "tests/support/s3_test_server.h"

#include "server/object_http_pool.h"
#include "storage/s3/s3_client.h"
#include "tests/support/process.h"

#include <fstream>
#include <random>
#include <stdexcept>

namespace imgline::test {
namespace {

const std::string kScript = std::string(IMGLINE_SOURCE_DIR) + "/scripts/s3-test-server";

void run_script(const std::string& command, const std::string& dir) {
    const auto result = run_command(kScript, {command, dir}, std::chrono::seconds(90));
    if (result.exit_code != 0) {
        throw std::runtime_error("scripts/s3-test-server " + command + " failed: " + result.err);
    }
}

}  // namespace

std::map<std::string, std::string> s3_server_env(const std::string& dir) {
    std::map<std::string, std::string> env;
    std::ifstream file(dir + "/env");
    for (std::string line; std::getline(file, line);) {
        const auto equals = line.find('=');
        if (equals != std::string::npos) {
            env[line.substr(0, equals)] = line.substr(equals + 1);
        }
    }
    return env;
}

config::S3Config s3_settings(const std::string& dir, std::string_view what) {
    auto env = s3_server_env(dir);
    if (env.empty()) {
        throw std::runtime_error("no S3 test server in " + dir +
                                 ": run these tests through ctest, which starts one "
                                 "(scripts/s3-test-server start DIR)");
    }
    static std::mt19937_64 random{std::random_device{}()};
    config::S3Config s3;
    s3.endpoint = env.at("IMGLINE_TEST_S3_ENDPOINT");
    s3.region = env.at("IMGLINE_TEST_S3_REGION");
    s3.access_key_id = env.at("IMGLINE_TEST_S3_ACCESS_KEY");
    s3.secret_access_key = env.at("IMGLINE_TEST_S3_SECRET_KEY");
    s3.bucket = std::string(kTestBucket);
    s3.prefix = std::string(what) + "-" + std::to_string(random()) + "/";
    s3.timeout = std::chrono::seconds(10);
    s3.retries = 2;
    s3.consistency_ttl = std::chrono::seconds(1);
    storage::s3::S3Client client(s3, server::pooled_object_http(2));
    if (auto made = client.create_bucket(); !made) {
        throw std::runtime_error("the test bucket could not be made: " + made.error().detail);
    }
    return s3;
}

OwnS3Server::OwnS3Server() {
    run_script("start", dir());
}

OwnS3Server::~OwnS3Server() {
    try {
        run_script("stop", dir());
    } catch (...) {
        // The folder goes anyway; a server left running dies with its files.
    }
}

void OwnS3Server::pause() {
    run_script("pause", dir());
}

void OwnS3Server::resume() {
    run_script("resume", dir());
}

}  // namespace imgline::test
