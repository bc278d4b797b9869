#pragma once

// Internal to pipeline/: cancels libvips work once a Deadline passes.
#include "common/deadline.h"

#include <vips/vips8>

namespace imgline::pipeline {

/// Watches images being evaluated; when the deadline has passed, the image's eval callback
/// sets its kill flag and libvips stops with an error. Must outlive the images it watches.
class DeadlineGuard {
public:
    explicit DeadlineGuard(const Deadline& deadline) : deadline_(deadline) {}

    DeadlineGuard(const DeadlineGuard&) = delete;
    DeadlineGuard& operator=(const DeadlineGuard&) = delete;

    /// Arms the guard on the image whose evaluation is about to run.
    void watch(const vips::VImage& image) const {
        VipsImage* raw = image.get_image();
        vips_image_set_progress(raw, TRUE);
        g_signal_connect(raw, "eval", G_CALLBACK(&DeadlineGuard::on_eval),
                         const_cast<DeadlineGuard*>(this));
    }

    bool expired() const {
        return deadline_.is_expired();
    }

private:
    static void on_eval(VipsImage* image, VipsProgress* /*progress*/, DeadlineGuard* self) {
        if (self->deadline_.is_expired()) {
            vips_image_set_kill(image, TRUE);
        }
    }

    Deadline deadline_;
};

}  // namespace imgline::pipeline
