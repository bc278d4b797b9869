#include "config/toml_guard.h"

namespace imgline::config {

std::optional<std::size_t> stray_non_ascii_line(std::string_view toml) {
    enum class In { Code, Comment, Basic, Literal, MultiBasic, MultiLiteral };
    if (toml.starts_with("\xEF\xBB\xBF")) {
        toml.remove_prefix(3);
    }
    In in = In::Code;
    std::size_t line = 1;
    auto starts = [&](std::size_t at, std::string_view what) {
        return toml.substr(at, what.size()) == what;
    };
    for (std::size_t i = 0; i < toml.size(); ++i) {
        const char c = toml[i];
        if (c == '\n') {
            ++line;
            // Comments and single-line strings end with their line.
            if (in == In::Comment || in == In::Basic || in == In::Literal) {
                in = In::Code;
            }
            continue;
        }
        switch (in) {
            case In::Code:
                if (static_cast<unsigned char>(c) >= 0x80) {
                    return line;
                }
                if (c == '#') {
                    in = In::Comment;
                } else if (starts(i, "\"\"\"")) {
                    in = In::MultiBasic;
                    i += 2;
                } else if (starts(i, "'''")) {
                    in = In::MultiLiteral;
                    i += 2;
                } else if (c == '"') {
                    in = In::Basic;
                } else if (c == '\'') {
                    in = In::Literal;
                }
                break;
            case In::Comment:
                break;
            case In::Basic:
            case In::MultiBasic:
                if (c == '\\' && i + 1 < toml.size() && toml[i + 1] != '\n') {
                    ++i;  // an escaped character (a line-ending backslash keeps its newline)
                } else if (in == In::Basic && c == '"') {
                    in = In::Code;
                } else if (in == In::MultiBasic && starts(i, "\"\"\"")) {
                    in = In::Code;
                    i += 2;
                }
                break;
            case In::Literal:
                if (c == '\'') {
                    in = In::Code;
                }
                break;
            case In::MultiLiteral:
                if (starts(i, "'''")) {
                    in = In::Code;
                    i += 2;
                }
                break;
        }
    }
    return std::nullopt;
}

}  // namespace imgline::config
