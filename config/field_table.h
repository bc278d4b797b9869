#pragma once

#include "config/config.h"
#include "config/units.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::config {

/// A configuration value as the operator wrote it: one text, or a list of texts (a TOML array,
/// or a comma-separated environment variable). TOML and IMGLINE_* variables both arrive in this
/// form, so each key is parsed by exactly one function whichever way it was given.
struct RawValue {
    std::vector<std::string> items;
    bool is_list = false;

    static RawValue single(std::string text) {
        return RawValue{{std::move(text)}, false};
    }
};

/// How a key is written back (by `print_config`): quoted or bare.
enum class FieldKind { Text, Unsigned, Integer, Bytes, Duration, Boolean, Number, List };

/// The keys of one config struct: name → parse-and-assign, and name → text. The single source
/// of truth for key names (the TOML loader, the env overrides, print_config and the test that
/// keeps docs/imgline.example.toml complete all read it).
template <class T>
class FieldTable {
public:
    /// Assigns the parsed value; returns the problem in words, or nullopt on success.
    using Setter = std::function<std::optional<std::string>(T&, const RawValue&)>;
    using Getter = std::function<std::string(const T&)>;

    struct Field {
        std::string name;
        FieldKind kind;
        Setter set;
        Getter get;
    };

    FieldTable& text(std::string name, std::string T::*member) {
        return scalar(
            std::move(name), FieldKind::Text, member,
            [](std::string_view s) { return std::optional<std::string>(s); },
            [](const std::string& v) { return v; }, "text");
    }

    FieldTable& count(std::string name, std::uint64_t T::*member) {
        return scalar(
            std::move(name), FieldKind::Unsigned, member, parse_unsigned,
            [](std::uint64_t v) { return std::to_string(v); }, "a whole number ≥ 0");
    }

    FieldTable& integer(std::string name, int T::*member) {
        auto parse = [](std::string_view s) -> std::optional<int> {
            auto value = parse_unsigned(s);
            if (!value || *value > 1'000'000) {
                return std::nullopt;
            }
            return static_cast<int>(*value);
        };
        return scalar(
            std::move(name), FieldKind::Integer, member, parse,
            [](int v) { return std::to_string(v); }, "a whole number ≥ 0");
    }

    FieldTable& bytes(std::string name, std::uint64_t T::*member) {
        return scalar(std::move(name), FieldKind::Bytes, member, parse_byte_size, format_byte_size,
                      "a size such as 200KiB, 25MiB or a number of bytes");
    }

    FieldTable& duration(std::string name, Milliseconds T::*member) {
        return scalar(std::move(name), FieldKind::Duration, member, parse_duration, format_duration,
                      "a duration such as 500ms, 10s or 2m");
    }

    FieldTable& boolean(std::string name, bool T::*member) {
        return scalar(
            std::move(name), FieldKind::Boolean, member, parse_bool,
            [](bool v) { return std::string(v ? "true" : "false"); }, "true or false");
    }

    FieldTable& number(std::string name, double T::*member) {
        return scalar(
            std::move(name), FieldKind::Number, member, parse_number,
            [](double v) { return std::to_string(v); }, "a number such as 0.5");
    }

    /// A setting that is one of `choices`, written by its name.
    template <class E, std::size_t N>
    FieldTable& choice(std::string name, E T::*member, const Choice<E> (&choices)[N]) {
        return scalar(
            std::move(name), FieldKind::Text, member,
            [&choices](std::string_view s) { return parse_choice(choices, s); },
            [&choices](E v) { return std::string(choice_name(choices, v)); },
            "one of " + choice_list(choices));
    }

    FieldTable& list(std::string name, std::vector<std::string> T::*member) {
        Setter set = [member](T& target, const RawValue& raw) -> std::optional<std::string> {
            target.*member = raw.items;
            return std::nullopt;
        };
        Getter get = [member](const T& source) {
            std::string joined;
            for (const auto& item : source.*member) {
                joined += (joined.empty() ? "" : ",") + item;
            }
            return joined;
        };
        fields_.push_back(Field{std::move(name), FieldKind::List, std::move(set), std::move(get)});
        return *this;
    }

    const Field* find(std::string_view name) const {
        for (const auto& field : fields_) {
            if (field.name == name) {
                return &field;
            }
        }
        return nullptr;
    }

    const std::vector<Field>& fields() const {
        return fields_;
    }

private:
    template <class V, class Parse, class Format>
    FieldTable& scalar(std::string name,
                       FieldKind kind,
                       V T::*member,
                       Parse parse,
                       Format format,
                       std::string expected) {
        Setter set = [member, parse, expected](T& target,
                                               const RawValue& raw) -> std::optional<std::string> {
            if (raw.is_list || raw.items.size() != 1) {
                return "expected one value, " + expected + ", not a list";
            }
            auto value = parse(raw.items.front());
            if (!value) {
                return "'" + raw.items.front() + "' is not " + expected;
            }
            target.*member = static_cast<V>(*value);
            return std::nullopt;
        };
        Getter get = [member, format](const T& source) { return format(source.*member); };
        fields_.push_back(Field{std::move(name), kind, std::move(set), std::move(get)});
        return *this;
    }

    std::vector<Field> fields_;
};

// The tables for each section (config/schema.cpp).
const FieldTable<ServerConfig>& server_fields();
const FieldTable<LimitsConfig>& limits_fields();
const FieldTable<StorageConfig>& storage_fields();
const FieldTable<S3Config>& s3_fields();
const FieldTable<PresetConfig>& preset_fields();
const FieldTable<BrandConfig>& brand_fields();
const FieldTable<BrandRules>& brand_rules_fields();
const FieldTable<PartyConfig>& party_fields();
const FieldTable<CarriersConfig>& carriers_fields();
const FieldTable<CarrierSource>& carrier_source_fields();
const FieldTable<EdgeConfig>& edge_fields();
const FieldTable<SigningConfig>& signing_fields();
const FieldTable<ProductsConfig>& products_fields();

}  // namespace imgline::config
