#include "config/field_table.h"
#include "config/load_config.h"

#include <sstream>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace imgline::config {
namespace {

std::string quoted(const std::string& text) {
    // A JSON string literal is a valid TOML basic string for everything JSON escapes.
    return boost::json::serialize(boost::json::string(text));
}

template <class T>
void print_fields(std::ostringstream& out, const FieldTable<T>& fields, const T& value) {
    for (const auto& field : fields.fields()) {
        const std::string text = field.get(value);
        out << field.name << " = ";
        switch (field.kind) {
            case FieldKind::Unsigned:
            case FieldKind::Integer:
            case FieldKind::Number:
            case FieldKind::Boolean:
                out << text;
                break;
            case FieldKind::Text:
            case FieldKind::Bytes:
            case FieldKind::Duration:
                out << quoted(text);
                break;
            case FieldKind::List: {
                out << "[";
                std::stringstream items(text);
                bool first = true;
                for (std::string item; std::getline(items, item, ',');) {
                    out << (first ? "" : ", ") << quoted(item);
                    first = false;
                }
                out << "]";
                break;
            }
        }
        out << "\n";
    }
}

template <class T>
void print_array(std::ostringstream& out,
                 const std::string& name,
                 const FieldTable<T>& fields,
                 const std::vector<T>& items) {
    for (const auto& item : items) {
        out << "\n[[" << name << "]]\n";
        print_fields(out, fields, item);
    }
}

}  // namespace

std::string print_config(const Config& config) {
    std::ostringstream out;
    out << "[server]\n";
    print_fields(out, server_fields(), config.server);
    out << "\n[limits]\n";
    print_fields(out, limits_fields(), config.limits);
    out << "\n[storage]\n";
    print_fields(out, storage_fields(), config.storage);
    // The store's secret key is never printed.
    S3Config s3 = config.storage.s3;
    if (!s3.secret_access_key.empty()) {
        s3.secret_access_key = "<secret>";
    }
    out << "\n[storage.s3]\n";
    print_fields(out, s3_fields(), s3);
    print_array(out, "presets", preset_fields(), config.presets);
    for (const auto& brand : config.brands) {
        out << "\n[[brands]]\n";
        print_fields(out, brand_fields(), brand);
        for (const auto& [role, rules] : brand.roles) {
            out << "\n[brands.roles." << role << "]\n";
            print_fields(out, brand_rules_fields(), rules);
        }
    }
    print_array(out, "parties", party_fields(), config.parties);
    out << "\n[carriers]\n";
    print_fields(out, carriers_fields(), config.carriers);
    print_array(out, "carriers.sources", carrier_source_fields(), config.carriers.sources);
    // Nor are the secrets edges check their signed URLs with.
    std::vector<EdgeConfig> edges = config.edges;
    for (auto& edge : edges) {
        if (!edge.url_auth_secret.empty()) {
            edge.url_auth_secret = "<secret>";
        }
    }
    print_array(out, "edges", edge_fields(), edges);
    // Signing secrets are never printed; only the key ids are.
    out << "\n[signing]\nkeys = [";
    for (std::size_t i = 0; i < config.signing.keys.size(); ++i) {
        const auto& key = config.signing.keys[i];
        out << (i == 0 ? "" : ", ") << quoted(key.substr(0, key.find(':')) + ":<secret>");
    }
    out << "]\n";
    out << "\n[products]\n";
    print_fields(out, products_fields(), config.products);
    return out.str();
}

}  // namespace imgline::config
