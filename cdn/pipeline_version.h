#pragma once

#include <array>
#include <string_view>

namespace imgline::cdn {

/// Part of every rendition key and ETag: bumped whenever the pipeline's output for the same
/// inputs changes, so that no cache (the origin's disk tier, edges, browsers: renditions are
/// immutable for a year) keeps serving the old bytes under the new code. The disk cache is
/// emptied at start when its files were written under another version.
inline constexpr std::string_view kPipelineVersion = "p2";

/// What the pipeline made of fixed inputs under kPipelineVersion: the SHA-256 of each
/// rendition's decoded pixels (tests/pipeline/pipeline_version_test.cpp renders them again and
/// fails with "bump kPipelineVersion" when any differs; it prints the new table).
struct PipelineOutput {
    std::string_view render;  // input/preset/format
    std::string_view pixels;  // "WxHxBANDS:sha256 of the decoded pixels"
};

inline constexpr std::array<PipelineOutput, 16> kPipelineOutputs{{
    {"cutout/fill200/avif",
     "200x200x4:cf309116e1e51c68477c68ae9617ee6f3567f09637e7dcc067c5d940b5d597e3"},
    {"cutout/fill200/jpeg",
     "200x200x3:58ee520a72d7779d344b9d2427d14790a512ae45eaea2011672923164a645b3f"},
    {"cutout/fill200/png",
     "200x200x4:da1b2b502e0f90567e60ac9226099085f83c52569cf065782e9722421938cb58"},
    {"cutout/fill200/webp",
     "200x200x4:9b5295b5cf1fd24dbaf3d18d800e026e3c781f803e62b64064b141a74f225ce2"},
    {"cutout/fit320/avif",
     "320x213x4:f6ee83e70b00fe01c8221cd90a65c2d398b9c0f48c90c1d60eceb5d160c50f51"},
    {"cutout/fit320/jpeg",
     "320x213x3:df7fc33bfb7f54c491330c2e3fca6d5ad2744b821277d5ca994d88d2e4f13ecc"},
    {"cutout/fit320/png",
     "320x213x4:081ddd02288c614fa4c840f19f5561d2385c028351b54ed33a2d4d17cc2a23f2"},
    {"cutout/fit320/webp",
     "320x213x4:f6921552f03fdef37b166fc1d6ceb28c20b927ebe9a8fd362484c7391e1b4eb4"},
    {"photo/fill200/avif",
     "200x200x3:23363a9474493b881eb43e806e9acb5720c16bf8be94f05926408e4243ba695a"},
    {"photo/fill200/jpeg",
     "200x200x3:857acb8440cd4c3ef7156e467085a43d58f5c2d06217e70986cf4fc66e4cc2de"},
    {"photo/fill200/png",
     "200x200x3:1be9504cbc6914e8de477c8af9fbc0e607368701d6557ca30071078a0dacd091"},
    {"photo/fill200/webp",
     "200x200x3:b99e48891eeb409e6d4d31ec45cdca69a751964910e068757adfe550ebac362c"},
    {"photo/fit320/avif",
     "320x200x3:6e6bf5167c45f92517f853a13d05499e38ee5ae21fe57cb7b7651f883ae9d50e"},
    {"photo/fit320/jpeg",
     "320x200x3:8621cd76baebb5f0948e3752feefe17bc0c48fbf77b99948c8c22580ee61b000"},
    {"photo/fit320/png",
     "320x200x3:1faba176735ac2f36dc380122dd917ce928bfca18a4378830ef6e0c60617cfab"},
    {"photo/fit320/webp",
     "320x200x3:00dfa3258b64b67ac1c0a5af8599a4a8536373448c72fdcd7577482440a2a4aa"},
}};

}  // namespace imgline::cdn
