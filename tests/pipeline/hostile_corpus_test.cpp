// Every broken or hostile file of ../shared/corpus-hostile gets the outcome its MANIFEST row
// expects: accepted, 415 (type outside the allow-list), or 422 (undecodable or too large) —
// never a crash, a hang or a 5xx.
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>

#include "config/config.h"
#include "pipeline/inspect.h"
#include "pipeline/render.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;

namespace {

enum class Expect { Accept, AcceptOrReject, Reject415, Reject422, Reject4xx };

Expect expected_outcome(const std::string& text) {
    if (text.starts_with("ACCEPT 201 (control)")) {
        return Expect::Accept;
    }
    if (text.starts_with("ACCEPT")) {
        return Expect::AcceptOrReject;
    }
    if (text.starts_with("REJECT 415") || text.starts_with("REJECT 4xx: 415/400")) {
        return Expect::Reject415;
    }
    if (text.starts_with("REJECT 422")) {
        return Expect::Reject422;
    }
    return Expect::Reject4xx;  // "REJECT 400/422 undecodable"
}

// bzip2 containers are what an attacker would send after unpacking; unpack with bunzip2.
std::string unpacked(const std::string& name, std::string bytes) {
    if (!name.ends_with(".bz2")) {
        return bytes;
    }
    const std::string command = "bunzip2 -c '" + (test::shared_dir() / "corpus-hostile" / name).string() + "'";
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    REQUIRE(pipe);
    std::string out;
    char chunk[65536];
    while (const auto got = std::fread(chunk, 1, sizeof(chunk), pipe.get())) {
        out.append(chunk, got);
    }
    return out;
}

RenderPlan small_plan(ImageFormat format) {
    RenderPlan plan;
    plan.width = 240;
    plan.height = 240;
    plan.fit = Fit::Fill;
    plan.format = format;
    plan.budget = Budget{20 * 1024, 50, 90};
    return plan;
}

}  // namespace

TEST_CASE("every hostile file gets its expected class of answer", "[pipeline][hostile]") {
    test::ensure_vips();
    const config::LimitsConfig limits{};
    const auto rows = test::manifest("corpus-hostile");
    REQUIRE(rows.size() > 200);
    int accepted = 0;
    for (const auto& row : rows) {
        const auto& name = row.at("file");
        const auto expect = expected_outcome(row.at("expected_server_behaviour"));
        CAPTURE(name, row.at("expected_server_behaviour").substr(0, 60));
        const std::string bytes =
            unpacked(name, test::read_bytes(test::shared_dir() / "corpus-hostile" / name));
        // What the upload path does: inspect (type, limits, a full checked decode), then
        // render the presets.
        Expected<Rendition> outcome = tl::unexpected(Error{});
        if (auto info = inspect(bytes, limits, Deadline::after(20s)); !info) {
            outcome = tl::unexpected(info.error());
        } else {
            for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp}) {
                outcome = render(bytes, small_plan(format), limits, Deadline::after(20s));
                if (!outcome) {
                    break;
                }
            }
        }
        if (outcome) {
            ++accepted;
            CHECK(expect != Expect::Reject415);
            CHECK(expect != Expect::Reject422);
            CHECK(expect != Expect::Reject4xx);
            CHECK(outcome->budget_met);
            const auto decoded = test::decode(outcome->bytes);
            CHECK_FALSE(decoded.has_exif);
            CHECK_FALSE(decoded.has_xmp);
            continue;
        }
        const int status = http_status(outcome.error().code);
        CAPTURE(status, outcome.error().detail);
        CHECK(status < 500);  // the client's file is never our error
        switch (expect) {
            case Expect::Accept: FAIL("a control file was refused"); break;
            case Expect::AcceptOrReject: CHECK((status == 415 || status == 422)); break;
            case Expect::Reject415: CHECK(status == 415); break;
            case Expect::Reject422: CHECK(status == 422); break;
            case Expect::Reject4xx: CHECK((status == 415 || status == 422)); break;
        }
    }
    CHECK(accepted > 20);
}
