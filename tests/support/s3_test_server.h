#pragma once

#include "config/config.h"
#include "tests/support/temp_dir.h"

#include <map>
#include <string>
#include <string_view>

namespace imgline::test {

/// The S3-compatible store of the tests: OpenStack Swift with s3api, run by
/// scripts/s3-test-server. The bucket every test uses ("imgline-test"); tests keep apart by
/// prefix.
inline constexpr std::string_view kTestBucket = "imgline-test";

/// IMGLINE_TEST_S3_* from the env file scripts/s3-test-server wrote in `dir`; empty when it did
/// not run there.
std::map<std::string, std::string> s3_server_env(const std::string& dir);

/// [storage.s3] for the server started in `dir`, under a prefix no other test uses (it starts
/// with `what`); a short consistency TTL (1 s) and timeout (10 s). Creates the bucket. Throws
/// when no server runs there.
config::S3Config s3_settings(const std::string& dir, std::string_view what);

/// A Swift server of the test's own, for tests that stop it (the shared one, the CTest fixture
/// s3/start_swift, serves other tests at the same time). Started in the constructor, stopped in
/// the destructor.
class OwnS3Server {
public:
    OwnS3Server();
    ~OwnS3Server();
    OwnS3Server(const OwnS3Server&) = delete;
    OwnS3Server& operator=(const OwnS3Server&) = delete;

    std::string dir() const {
        return folder_.path().string();
    }

    /// Kills its S3 endpoint (the proxy): the store stops answering.
    void pause();
    /// Starts the proxy again on the same port, with every object kept.
    void resume();

private:
    TempDir folder_;
};

}  // namespace imgline::test
