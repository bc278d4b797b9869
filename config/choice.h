#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::config {

/// One allowed value of a setting that is an enumeration, and how it is written.
template <class E>
struct Choice {
    E value;
    std::string_view name;
};

/// The value written `text`, or nullopt for a text that is not one of `choices`.
template <class E, std::size_t N>
std::optional<E> parse_choice(const Choice<E> (&choices)[N], std::string_view text) {
    for (const auto& choice : choices) {
        if (choice.name == text) {
            return choice.value;
        }
    }
    return std::nullopt;
}

/// How `value` is written (the first name listed for it).
template <class E, std::size_t N>
std::string_view choice_name(const Choice<E> (&choices)[N], E value) {
    for (const auto& choice : choices) {
        if (choice.value == value) {
            return choice.name;
        }
    }
    return choices[0].name;
}

/// "fit, fill or pad", for messages.
template <class E, std::size_t N>
std::string choice_list(const Choice<E> (&choices)[N]) {
    std::string list;
    for (std::size_t i = 0; i < N; ++i) {
        list += (i == 0 ? "" : i + 1 == N ? " or " : ", ");
        list += "'" + std::string(choices[i].name) + "'";
    }
    return list;
}

}  // namespace imgline::config
