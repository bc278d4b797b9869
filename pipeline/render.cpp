#include "pipeline/render.h"

#include "pipeline/budget.h"
#include "pipeline/capabilities.h"
#include "pipeline/deadline_guard.h"
#include "pipeline/passthrough.h"
#include "pipeline/probe.h"
#include "pipeline/transform.h"
#include "pipeline/vips_runtime.h"

namespace imgline::pipeline {

Expected<Rendition> render(std::string_view original,
                           const RenderPlan& asked,
                           const config::LimitsConfig& limits,
                           const Deadline& deadline,
                           std::optional<LearnedQuality> learned) {
    const RenderThreads threads;
    RenderPlan plan = asked;
    plan.shares_cores = RenderThreads::shared();  // once per render, for every choice below
    if (!can_write(plan.format)) {
        return fail(ErrorCode::BadRequest, std::string(format_name(plan.format)) +
                                               " output is not available on this server");
    }
    auto info = probe(original, limits);
    if (!info) {
        return tl::unexpected(info.error());
    }
    if (info->format == ImageFormat::Heif || info->format == ImageFormat::Avif) {
        if (!can_read(info->format)) {
            return fail(ErrorCode::UnsupportedMediaType,
                        std::string(format_name(info->format)) +
                            " images cannot be decoded on this server");
        }
    }
    if (auto same = passthrough(original, *info, plan)) {
        Rendition rendition;
        rendition.format = info->format;
        rendition.width = info->width;
        rendition.height = info->height;
        rendition.bytes = std::move(*same);
        rendition.budget_met = true;
        rendition.passthrough = true;
        return rendition;
    }
    const DeadlineGuard guard(deadline);
    auto pixels = transform(original, *info, plan, guard);
    if (!pixels) {
        return tl::unexpected(pixels.error());
    }
    auto rendition = encode_under_budget(pixels->pixels, plan.format, plan.budget, learned, guard);
    if (!rendition) {
        return tl::unexpected(rendition.error());
    }
    rendition->decode_route = route_name(pixels->route);
    if (!rendition->budget_met && !plan.serve_unmet_budget) {
        return fail(ErrorCode::UnsupportedImage,
                    "the image cannot be made to fit this preset's byte budget",
                    "smallest: " + std::to_string(rendition->bytes.size()) + " bytes");
    }
    return rendition;
}

}  // namespace imgline::pipeline
