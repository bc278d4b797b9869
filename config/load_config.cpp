#include "config/load_config.h"

#include "common/sha256.h"
#include "common/text.h"
#include "config/field_table.h"
#include "config/toml_guard.h"
#include "config/validate_config.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace imgline::config {
namespace {

constexpr std::string_view kEnvPrefix = "IMGLINE_";

std::string scalar_text(const toml::node& node) {
    if (auto text = node.value<std::string>(); node.is_string() && text) {
        return *text;
    }
    if (node.is_integer()) {
        return std::to_string(node.value_or<std::int64_t>(0));
    }
    if (node.is_floating_point()) {
        std::ostringstream out;
        out << node.value_or(0.0);
        return out.str();
    }
    if (node.is_boolean()) {
        return node.value_or(false) ? "true" : "false";
    }
    return {};
}

bool is_scalar(const toml::node& node) {
    return node.is_string() || node.is_integer() || node.is_floating_point() || node.is_boolean();
}

// Turns a TOML value into the RawValue every key is parsed from; nullopt for tables or
// nested arrays, which no scalar key accepts.
std::optional<RawValue> raw_value(const toml::node& node) {
    if (is_scalar(node)) {
        return RawValue::single(scalar_text(node));
    }
    if (const auto* array = node.as_array()) {
        RawValue raw{{}, true};
        for (const auto& item : *array) {
            if (!is_scalar(item)) {
                return std::nullopt;
            }
            raw.items.push_back(scalar_text(item));
        }
        return raw;
    }
    return std::nullopt;
}

class TomlReader {
public:
    explicit TomlReader(ConfigProblems& problems) : problems_(problems) {}

    void read(const toml::table& root, Config& config) {
        for (const auto& [key, node] : root) {
            const std::string name(key.str());
            if (name == "server") {
                read_section(node, name, server_fields(), config.server);
            } else if (name == "limits") {
                read_section(node, name, limits_fields(), config.limits);
            } else if (name == "storage") {
                read_section(node, name, storage_fields(), config.storage, {"s3"});
                const auto* table = node.as_table();
                if (const auto* s3 = table ? table->get("s3") : nullptr) {
                    read_section(*s3, "storage.s3", s3_fields(), config.storage.s3);
                }
            } else if (name == "presets") {
                config.presets = read_array(node, name, preset_fields(), {});
            } else if (name == "brands") {
                config.brands = read_brands(node);
            } else if (name == "parties") {
                config.parties = read_array(node, name, party_fields(), {});
            } else if (name == "carriers") {
                read_section(node, name, carriers_fields(), config.carriers, {"sources"});
                const auto* table = node.as_table();
                if (const auto* sources = table ? table->get("sources") : nullptr) {
                    config.carriers.sources =
                        read_array(*sources, "carriers.sources", carrier_source_fields(), {});
                }
            } else if (name == "edges") {
                config.edges = read_array(node, name, edge_fields(), {});
            } else if (name == "signing") {
                read_section(node, name, signing_fields(), config.signing);
            } else if (name == "products") {
                read_section(node, name, products_fields(), config.products);
            } else {
                problem(name,
                        "unknown section (known: server, limits, storage, presets, brands, "
                        "parties, carriers, edges, signing, products)");
            }
        }
    }

private:
    template <class T>
    void read_section(const toml::node& node,
                      const std::string& path,
                      const FieldTable<T>& fields,
                      T& target,
                      std::initializer_list<std::string_view> nested = {}) {
        const auto* table = node.as_table();
        if (table == nullptr) {
            problem(path, "must be a table ([" + path + "])");
            return;
        }
        for (const auto& [key, value] : *table) {
            const std::string name(key.str());
            if (std::find(nested.begin(), nested.end(), name) != nested.end()) {
                continue;
            }
            read_field(value, path + "." + name, fields, name, target);
        }
    }

    template <class T>
    void read_field(const toml::node& value,
                    const std::string& path,
                    const FieldTable<T>& fields,
                    const std::string& name,
                    T& target) {
        const auto* field = fields.find(name);
        if (field == nullptr) {
            problem(path, "unknown key");
            return;
        }
        auto raw = raw_value(value);
        if (!raw) {
            problem(path, "must be a value or a list of values, not a table");
            return;
        }
        if (auto wrong = field->set(target, *raw)) {
            problem(path, *wrong);
        }
    }

    template <class T>
    std::vector<T> read_array(const toml::node& node,
                              const std::string& path,
                              const FieldTable<T>& fields,
                              std::initializer_list<std::string_view> nested) {
        std::vector<T> items;
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables()) {
            problem(path, "must be an array of tables ([[" + path + "]])");
            return items;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            T item{};
            read_section(*array->get(i), path + "[" + std::to_string(i) + "]", fields, item,
                         nested);
            items.push_back(std::move(item));
        }
        return items;
    }

    std::vector<BrandConfig> read_brands(const toml::node& node) {
        auto brands = read_array(node, "brands", brand_fields(), {"roles"});
        const auto* array = node.as_array();
        for (std::size_t i = 0; array != nullptr && i < brands.size(); ++i) {
            const auto* brand = array->get(i)->as_table();
            const auto* roles = brand ? brand->get("roles") : nullptr;
            if (roles == nullptr) {
                continue;
            }
            const std::string path = "brands[" + std::to_string(i) + "].roles";
            if (!roles->is_table()) {
                problem(path, "must be a table of roles ([brands.roles.main])");
                continue;
            }
            for (const auto& [role, rules] : *roles->as_table()) {
                BrandRules parsed;
                read_section(rules, path + "." + std::string(role.str()), brand_rules_fields(),
                             parsed);
                brands[i].roles[std::string(role.str())] = parsed;
            }
        }
        return brands;
    }

    void problem(std::string key, std::string message) {
        problems_.push_back(ConfigProblem{std::move(key), std::move(message)});
    }

    ConfigProblems& problems_;
};

// "supplier:acme:KEY,distributor:shop1:KEY2" → parties with hashed keys. A name given twice
// collects both keys into one party (key rotation without a file).
void read_parties_variable(std::string_view text,
                           std::vector<PartyConfig>& parties,
                           ConfigProblems& problems) {
    std::size_t index = 0;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view entry = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const std::string where = "IMGLINE_PARTIES[" + std::to_string(index++) + "]";
        const auto first = entry.find(':');
        const auto second = first == std::string_view::npos ? first : entry.find(':', first + 1);
        if (second == std::string_view::npos || second + 1 >= entry.size()) {
            problems.push_back({where, "expected kind:name:key"});
            continue;
        }
        const std::string kind(entry.substr(0, first));
        const std::string name(entry.substr(first + 1, second - first - 1));
        const std::string hash = sha256_hex(entry.substr(second + 1));
        auto same = std::find_if(parties.begin(), parties.end(), [&](const PartyConfig& party) {
            return party.name == name && party.kind == kind;
        });
        if (same != parties.end()) {
            same->key_sha256.push_back(hash);
        } else {
            parties.push_back(PartyConfig{kind, name, {hash}, {}});
        }
    }
}

template <class T>
bool apply_variable(const FieldTable<T>& fields,
                    std::string_view key,
                    const std::string& name,
                    const std::string& value,
                    T& target,
                    ConfigProblems& problems) {
    const auto* field = fields.find(key);
    if (field == nullptr) {
        return false;
    }
    RawValue raw = RawValue::single(value);
    if (field->kind == FieldKind::List) {
        raw = RawValue{{}, true};
        std::stringstream items(value);
        for (std::string item; std::getline(items, item, ',');) {
            raw.items.push_back(item);
        }
    }
    if (auto wrong = field->set(target, raw)) {
        problems.push_back({name, *wrong});
    }
    return true;
}

void apply_environment(const Environment& env, Config& config, ConfigProblems& problems) {
    for (const auto& [name, value] : env) {
        if (name == "IMGLINE_LISTEN") {
            config.server.listen = value;
        } else if (name == "IMGLINE_DATA_DIR") {
            config.storage.data_dir = value;
        } else if (name == "IMGLINE_PARTIES") {
            read_parties_variable(value, config.parties, problems);
        } else if (const auto split = name.find("__");
                   name.starts_with(kEnvPrefix) && split != std::string::npos) {
            const std::string section =
                lower(std::string_view(name).substr(kEnvPrefix.size(), split - kEnvPrefix.size()));
            const std::string key = lower(std::string_view(name).substr(split + 2));
            bool known = false;
            if (section == "server") {
                known = apply_variable(server_fields(), key, name, value, config.server, problems);
            } else if (section == "limits") {
                known = apply_variable(limits_fields(), key, name, value, config.limits, problems);
            } else if (section == "storage" && key.starts_with("s3__")) {
                known = apply_variable(s3_fields(), key.substr(4), name, value, config.storage.s3,
                                       problems);
            } else if (section == "storage") {
                known =
                    apply_variable(storage_fields(), key, name, value, config.storage, problems);
            } else if (section == "carriers") {
                known =
                    apply_variable(carriers_fields(), key, name, value, config.carriers, problems);
            } else if (section == "signing") {
                known =
                    apply_variable(signing_fields(), key, name, value, config.signing, problems);
            } else if (section == "products") {
                known =
                    apply_variable(products_fields(), key, name, value, config.products, problems);
            }
            if (!known) {
                problems.push_back(
                    {name,
                     "no such setting (IMGLINE_<SECTION>__<KEY> works for "
                     "the keys of [server], [limits], [storage], "
                     "[carriers], [signing] and [products]; IMGLINE_STORAGE__S3__<KEY> "
                     "for [storage.s3])"});
            }
        }
    }
}

}  // namespace

Environment current_environment() {
    Environment env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (text.starts_with(kEnvPrefix) && equals != std::string_view::npos) {
            env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
        }
    }
    return env;
}

LoadResult load_config_text(std::string_view toml_text,
                            std::string_view source,
                            const Environment& env) {
    LoadResult result{builtin_config(), {}};
    if (const auto line = stray_non_ascii_line(toml_text)) {
        result.problems.push_back(
            {std::string(source) + ":" + std::to_string(*line),
             "only ASCII may stand outside quotes and comments (put names and text in quotes)"});
        return result;
    }
    try {
        const toml::table root = toml::parse(toml_text, source);
        TomlReader(result.problems).read(root, result.config);
    } catch (const toml::parse_error& error) {
        const auto& where = error.source().begin;
        result.problems.push_back({std::string(source) + ":" + std::to_string(where.line) + ":" +
                                       std::to_string(where.column),
                                   std::string(error.description())});
        return result;
    }
    apply_environment(env, result.config, result.problems);
    return result;
}

LoadResult load_checked_config(const std::optional<std::string>& path,
                               const Environment& env,
                               const std::function<void(Config&)>& adjust) {
    auto loaded = load_config(path, env);
    if (adjust) {
        adjust(loaded.config);
    }
    auto invalid = validate(loaded.config);
    loaded.problems.insert(loaded.problems.end(), invalid.begin(), invalid.end());
    return loaded;
}

LoadResult load_config(const std::optional<std::string>& path, const Environment& env) {
    if (!path) {
        LoadResult result{builtin_config(), {}};
        apply_environment(env, result.config, result.problems);
        return result;
    }
    std::ifstream file(*path, std::ios::binary);
    if (!file) {
        return LoadResult{builtin_config(), {{*path, "cannot read the config file"}}};
    }
    std::ostringstream text;
    text << file.rdbuf();
    return load_config_text(text.str(), *path, env);
}

}  // namespace imgline::config
