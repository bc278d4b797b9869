#pragma once

#include <memory>
#include <string_view>

namespace prometheus {
class Registry;
class Counter;
class Histogram;
template <class T>
class Family;
}  // namespace prometheus

namespace imgline::app {

/// Rendition series on the server's registry:
///   imgline_rendition_requests_total{result}   memory, disk (cache hits), render, not_modified
///   imgline_coalesced_waits_total              requests that waited for another's render
///   imgline_renders_total{preset,format,budget,route} renders done, budget met or unmet, and
///                                               the decode route (pipeline::route_name)
///   imgline_render_encodes                      encodes per render (histogram)
///   imgline_render_duration_seconds{preset}     render latency (histogram)
///   imgline_render_sources_total{source}        renders started from the mezzanine or original
///   imgline_prerenders_total{result}            background renders after uploads: rendered,
///                                               cached (nothing to do), dropped (queue full)
class ImageMetrics {
public:
    explicit ImageMetrics(prometheus::Registry& registry);

    void count_request(std::string_view result);
    void count_coalesced_wait();
    void count_render_source(std::string_view source);
    void count_prerender(std::string_view result);
    void observe_render(std::string_view preset,
                        std::string_view format,
                        std::string_view route,
                        bool budget_met,
                        int encodes,
                        double seconds);

private:
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Counter& coalesced_;
    prometheus::Family<prometheus::Counter>& renders_;
    prometheus::Histogram& encodes_;
    prometheus::Family<prometheus::Histogram>& durations_;
    prometheus::Family<prometheus::Counter>& sources_;
    prometheus::Family<prometheus::Counter>& prerenders_;
};

}  // namespace imgline::app
