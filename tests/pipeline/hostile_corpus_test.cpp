// Every broken or hostile file of tests/data/corpus-hostile gets the outcome its MANIFEST row
// expects: accepted, 415 (type outside the allow-list), or 422 (undecodable or too large) —
// never a crash, a hang or a 5xx.
#include "config/config.h"
#include "pipeline/inspect.h"
#include "pipeline/render.h"
#include "pipeline/vips_runtime.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"

#include <optional>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;

namespace {

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
    // Alone, and sharing the cores (where JPEGs take pipeline/resample's path).
    const bool busy = GENERATE(false, true);
    CAPTURE(busy);
    std::optional<RenderThreads> another;
    if (busy) {
        another.emplace();
    }
    const config::LimitsConfig limits{};
    const auto rows = test::manifest("corpus-hostile");
    REQUIRE(rows.size() > 200);
    int accepted = 0;
    for (const auto& row : rows) {
        const auto& name = row.at("file");
        const auto expect = test::hostile_expectation(row.at("expected_server_behaviour"));
        CAPTURE(name, row.at("expected_server_behaviour").substr(0, 60));
        const std::string bytes = test::hostile_bytes(name);
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
            CHECK(test::hostile_outcome_ok(expect, 200));
            CHECK(outcome->budget_met);
            const auto decoded = test::decode(outcome->bytes);
            CHECK_FALSE(decoded.has_exif);
            CHECK_FALSE(decoded.has_xmp);
            continue;
        }
        const int status = http_status(outcome.error().code);
        CAPTURE(status, outcome.error().detail);
        CHECK(status < 500);  // the client's file is never our error
        CHECK(test::hostile_outcome_ok(expect, status));
    }
    CHECK(accepted > 20);
}
