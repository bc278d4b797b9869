#include "common/version.h"

namespace imgline {

std::string_view version() {
    return IMGLINE_VERSION_STRING;
}

}  // namespace imgline
