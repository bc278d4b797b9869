# One place for warning flags, applied to our own targets only (never to third-party code).
# -Werror comes from CMAKE_COMPILE_WARNING_AS_ERROR in the "ci" preset.
function(imgline_set_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
        -Wimplicit-fallthrough)
endfunction()

# Stricter integer hygiene where sizes, addresses and expiry times are computed.
function(imgline_set_strict_warnings target)
    imgline_set_warnings(${target})
    target_compile_options(${target} PRIVATE -Wconversion -Wsign-conversion)
endfunction()
