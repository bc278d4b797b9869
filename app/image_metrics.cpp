#include "app/image_metrics.h"

#include <string>

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace imgline::app {

ImageMetrics::ImageMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("imgline_rendition_requests_total")
                    .Help("Rendition requests by how they were answered: memory, disk, render, "
                          "not_modified")
                    .Register(registry)),
      coalesced_(prometheus::BuildCounter()
                     .Name("imgline_coalesced_waits_total")
                     .Help("Requests that waited for a render another request had started")
                     .Register(registry)
                     .Add({})),
      renders_(prometheus::BuildCounter()
                   .Name("imgline_renders_total")
                   .Help("Renders by preset, format, whether the byte budget was met, and the "
                         "route that decoded the source")
                   .Register(registry)),
      encodes_(prometheus::BuildHistogram()
                   .Name("imgline_render_encodes")
                   .Help("Encodes one render took")
                   .Register(registry)
                   .Add({}, prometheus::Histogram::BucketBoundaries{0, 1, 2, 3, 4, 5, 6, 8})),
      durations_(prometheus::BuildHistogram()
                     .Name("imgline_render_duration_seconds")
                     .Help("Time to render one rendition, by preset")
                     .Register(registry)),
      sources_(prometheus::BuildCounter()
                   .Name("imgline_render_sources_total")
                   .Help("Renders by what they started from: mezzanine or original")
                   .Register(registry)),
      prerenders_(prometheus::BuildCounter()
                      .Name("imgline_prerenders_total")
                      .Help("Background renders after uploads: rendered, cached (nothing to "
                            "do), dropped (queue full)")
                      .Register(registry)) {}

void ImageMetrics::count_request(std::string_view result) {
    requests_.Add({{"result", std::string(result)}}).Increment();
}

void ImageMetrics::count_coalesced_wait() {
    coalesced_.Increment();
}

void ImageMetrics::count_render_source(std::string_view source) {
    sources_.Add({{"source", std::string(source)}}).Increment();
}

void ImageMetrics::count_prerender(std::string_view result) {
    prerenders_.Add({{"result", std::string(result)}}).Increment();
}

void ImageMetrics::observe_render(std::string_view preset,
                                  std::string_view format,
                                  std::string_view route,
                                  bool budget_met,
                                  int encodes,
                                  double seconds) {
    renders_
        .Add({{"preset", std::string(preset)},
              {"format", std::string(format)},
              {"budget", budget_met ? "met" : "unmet"},
              {"route", std::string(route)}})
        .Increment();
    encodes_.Observe(encodes);
    static const prometheus::Histogram::BucketBoundaries kBuckets{0.01, 0.025, 0.05, 0.1, 0.25,
                                                                  0.5,  1,     2.5,  5,   10};
    durations_.Add({{"preset", std::string(preset)}}, kBuckets).Observe(seconds);
}

}  // namespace imgline::app
