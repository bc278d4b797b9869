#include "config/toml_guard.h"

namespace imgline::config {

std::optional<std::size_t> stray_non_ascii_line(std::string_view toml) {
    enum class In { Code, Comment, Basic, Literal, MultiBasic, MultiLiteral };
    if (toml.starts_with("\xEF\xBB\xBF")) {
        toml.remove_prefix(3);
    }
    In in = In::Code;
    std::size_t line = 1;
    // The last character in code that is not a space, on this line (0: none yet). A quote opens
    // a string only where TOML lets one stand: at the start of a line or after '=', '[', ',',
    // '{' or '.'. Elsewhere (`x = 1"é`) toml++ reads it as part of a bare value, and so does
    // this guard, refusing the non-ASCII that follows (found by the config fuzz target).
    char before = 0;
    auto may_open_string = [&] {
        return before == 0 || before == '=' || before == '[' || before == ',' || before == '{' ||
               before == '.';
    };
    auto starts = [&](std::size_t at, std::string_view what) {
        return toml.substr(at, what.size()) == what;
    };
    for (std::size_t i = 0; i < toml.size(); ++i) {
        const char c = toml[i];
        if (c == '\n') {
            ++line;
            before = 0;
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
                } else if ((c == '"' || c == '\'') && !may_open_string()) {
                    before = c;  // part of a bare value, not a string
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
                } else if (c != ' ' && c != '\t' && c != '\r') {
                    before = c;
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
                    before = c;
                } else if (in == In::MultiBasic && starts(i, "\"\"\"")) {
                    in = In::Code;
                    before = c;
                    i += 2;
                }
                break;
            case In::Literal:
                if (c == '\'') {
                    in = In::Code;
                    before = c;
                }
                break;
            case In::MultiLiteral:
                if (starts(i, "'''")) {
                    in = In::Code;
                    before = c;
                    i += 2;
                }
                break;
        }
    }
    return std::nullopt;
}

}  // namespace imgline::config
