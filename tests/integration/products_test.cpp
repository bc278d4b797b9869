// Product slots over real HTTP: a supplier's upload fills a slot of its SKU, the slot URL shows
// it (cacheable for products.slot_max_age, revalidated by ETag), a reshoot into the same slot
// changes what the URL shows, pointing back is one call, only the owner or an admin changes a
// slot, and embeds hand out slot URLs.
#include "common/sha256.h"
#include "tests/support/http_client.h"
#include "tests/support/parties.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;

namespace {

using test::kAcme;
using test::kOps;
using test::kShop;
using test::with_parties;

boost::json::object json_of(const test::Response& response) {
    return boost::json::parse(response.body()).as_object();
}

std::string error_code(const test::Response& response) {
    return std::string(json_of(response).at("error").at("code").as_string());
}

test::Response upload(const TestServer& server, std::string_view query, std::string_view bytes) {
    return test::request(server.port(), "POST", "/v1/originals?" + std::string(query),
                         kAcme + "Content-Type: image/jpeg\r\n", bytes);
}

test::Response get(const TestServer& server,
                   const std::string& target,
                   const std::string& headers = {}) {
    return test::request(server.port(), "GET", target, headers);
}

test::Response put_slot(const TestServer& server,
                        const std::string& target,
                        const std::string& auth,
                        const std::string& id) {
    return test::request(server.port(), "PUT", target, auth + "Content-Type: application/json\r\n",
                         "{\"id\":\"" + id + "\"}");
}

// The bytes /i/ serves for `id`: what a slot URL showing it must serve too.
std::string rendition_of(const TestServer& server, const std::string& id) {
    const auto direct = get(server, "/i/" + id + "/thumb.jpg");
    REQUIRE(direct.result_int() == 200);
    return direct.body();
}

}  // namespace

TEST_CASE("a slot URL shows the slot's photo, follows a reshoot and points back",
          "[integration][products]") {
    TestServer server(with_parties);
    const auto photos = test::distinct_photos(2);
    const std::string first = sha256_hex(photos[0]);
    const std::string second = sha256_hex(photos[1]);

    const auto created = upload(server, "sku=SKU-1&slot=main", photos[0]);
    REQUIRE(created.result_int() == 201);
    const auto record = json_of(created);
    CHECK(record.at("role") == "main");  // the slot's role
    CHECK(record.at("slot").at("name") == "main");
    CHECK(record.at("slot").at("changed") == true);
    const std::string slot_url(record.at("slot").at("urls").at("thumb").as_string());
    CHECK(slot_url.ends_with("/p/acme/SKU-1/main/thumb"));

    const std::string path = "/p/acme/SKU-1/main/thumb.jpg";
    auto shown = get(server, path);
    REQUIRE(shown.result_int() == 200);
    CHECK(shown.body() == rendition_of(server, first));
    CHECK(shown[server::http::field::cache_control] == "public, max-age=60");
    const std::string etag(shown[server::http::field::etag]);
    CHECK(etag == get(server, "/i/" + first + "/thumb.jpg")[server::http::field::etag]);
    // Revalidation while the slot is unchanged costs a 304.
    CHECK(get(server, path, "If-None-Match: " + etag + "\r\n").result_int() == 304);
    // Negotiated from Accept, like /i/.
    const auto negotiated = get(server, "/p/acme/SKU-1/main/thumb", "Accept: image/webp\r\n");
    REQUIRE(negotiated.result_int() == 200);
    CHECK(negotiated[server::http::field::content_type] == "image/webp");
    CHECK(negotiated[server::http::field::vary] == "Accept");

    // The reshoot goes into the same slot: the same URL shows it, the ETag changes.
    REQUIRE(upload(server, "sku=SKU-1&slot=main", photos[1]).result_int() == 201);
    shown = get(server, path);
    REQUIRE(shown.result_int() == 200);
    CHECK(shown.body() == rendition_of(server, second));
    CHECK(get(server, path, "If-None-Match: " + etag + "\r\n").result_int() == 200);

    // The product lists the slot with its current and earlier originals.
    auto product = get(server, "/v1/products/SKU-1", kAcme);
    REQUIRE(product.result_int() == 200);
    auto slots = json_of(product).at("slots").as_array();
    REQUIRE(slots.size() == 1);
    CHECK(slots[0].at("slot") == "main");
    CHECK(slots[0].at("current").at("id").as_string() == second);
    REQUIRE(slots[0].at("earlier").as_array().size() == 1);
    CHECK(slots[0].at("earlier").at(0).at("id").as_string() == first);

    // Pointing back is one call.
    const auto back = put_slot(server, "/v1/products/SKU-1/slots/main", kAcme, first);
    REQUIRE(back.result_int() == 200);
    CHECK(json_of(back).at("changed") == true);
    CHECK(get(server, path).body() == rendition_of(server, first));
    const auto again = put_slot(server, "/v1/products/SKU-1/slots/main", kAcme, first);
    CHECK(json_of(again).at("changed") == false);

    // Emptied, the slot URL is a 404.
    REQUIRE(test::request(server.port(), "DELETE", "/v1/products/SKU-1/slots/main", kAcme)
                .result_int() == 200);
    CHECK(get(server, path).result_int() == 404);
}

TEST_CASE("only the owner or an admin changes a slot, and any party reads it",
          "[integration][products]") {
    TestServer server(with_parties);
    const auto photos = test::distinct_photos(2);
    const std::string first = sha256_hex(photos[0]);
    REQUIRE(upload(server, "sku=SKU-1&slot=main", photos[0]).result_int() == 201);
    REQUIRE(upload(server, "sku=SKU-1", photos[1]).result_int() == 201);
    const std::string second = sha256_hex(photos[1]);

    // A distributor reads the supplier's product, and cannot change it.
    const auto read = get(server, "/v1/products/SKU-1?owner=acme", kShop);
    REQUIRE(read.result_int() == 200);
    CHECK(json_of(read).at("owner") == "acme");
    auto refused = put_slot(server, "/v1/products/SKU-1/slots/main?owner=acme", kShop, second);
    CHECK(refused.result_int() == 403);
    CHECK(test::request(server.port(), "DELETE", "/v1/products/SKU-1/slots/main?owner=acme", kShop)
              .result_int() == 403);
    // Its own product of that SKU is another product (and it has no original to put there).
    CHECK(put_slot(server, "/v1/products/SKU-1/slots/main", kShop, first).result_int() == 404);
    CHECK(get(server, "/p/acme/SKU-1/main/thumb.jpg").body() == rendition_of(server, first));

    // An admin may change it.
    const auto by_admin =
        put_slot(server, "/v1/products/SKU-1/slots/main?owner=acme", kOps, second);
    REQUIRE(by_admin.result_int() == 200);
    CHECK(json_of(by_admin).at("slots").at(0).at("current").at("set_by") == "ops");
    CHECK(get(server, "/p/acme/SKU-1/main/thumb.jpg").body() == rendition_of(server, second));

    // Without a key, nothing.
    CHECK(get(server, "/v1/products/SKU-1?owner=acme").result_int() == 401);
}

TEST_CASE("bad slot requests are clear 4xx answers", "[integration][products]") {
    TestServer server(with_parties);
    const auto photos = test::distinct_photos(1);
    const std::string id = sha256_hex(photos[0]);
    REQUIRE(upload(server, "sku=SKU-1", photos[0]).result_int() == 201);
    const std::string slot = "/v1/products/SKU-1/slots/";

    CHECK(error_code(upload(server, "slot=main", photos[0])) == "bad_request");  // no sku
    CHECK(error_code(upload(server, "sku=SKU-1&slot=hero", photos[0])) == "bad_request");
    CHECK(error_code(upload(server, "sku=SKU-1&slot=main&role=detail", photos[0])) ==
          "bad_request");
    CHECK(error_code(upload(server, "sku=..&slot=main", photos[0])) == "bad_request");
    CHECK(put_slot(server, slot + "hero", kAcme, id).result_int() == 400);
    CHECK(put_slot(server, slot + "main", kAcme, "not-an-id").result_int() == 400);
    CHECK(put_slot(server, slot + "main", kAcme, std::string(64, 'a')).result_int() == 404);
    CHECK(test::request(server.port(), "PUT", slot + "main", kAcme, "{\"id\":").result_int() ==
          400);
    CHECK(put_slot(server, "/v1/products/SKU-1/slots/main?owner=nobody", kOps, id).result_int() ==
          404);
    CHECK(get(server, "/v1/products/SKU-2", kAcme).result_int() == 404);
    CHECK(get(server, "/p/nobody/SKU-1/main/thumb.jpg").result_int() == 404);
    CHECK(get(server, "/p/acme/SKU-1/hero/thumb.jpg").result_int() == 404);
    CHECK(get(server, "/p/acme/SKU-1/main/nosuchpreset").result_int() == 404);
    CHECK(get(server, "/p/acme/SKU-1/main/thumb.jpg").result_int() == 404);  // empty slot
}

TEST_CASE("several files fill detail slots one after another", "[integration][products]") {
    TestServer server(with_parties);
    const auto photos = test::distinct_photos(3);
    std::string body;
    const std::string boundary = "XyZzy";
    auto field = [&](const std::string& name, const std::string& value) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    };
    field("sku", "SKU-9");
    field("slot", "detail-2");
    for (std::size_t i = 0; i < photos.size(); ++i) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                std::to_string(i) + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + photos[i] +
                "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    const auto stored = test::request(
        server.port(), "POST", "/v1/originals",
        kAcme + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n", body);
    REQUIRE(stored.result_int() == 201);
    const auto reply = json_of(stored);
    const auto& entries = reply.at("originals").as_array();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].at("slot").at("name") == "detail-2");
    CHECK(entries[2].at("slot").at("name") == "detail-4");
    CHECK(entries[2].at("role") == "detail");
    CHECK(get(server, "/p/acme/SKU-9/detail-4/thumb.jpg").body() ==
          rendition_of(server, sha256_hex(photos[2])));
}

TEST_CASE("embeds and /go hand out slot URLs, and a deleted original's slot URL is gone",
          "[integration][products]") {
    TestServer server(with_parties);
    const auto photos = test::distinct_photos(2);
    const std::string first = sha256_hex(photos[0]);
    REQUIRE(upload(server, "sku=SKU-1&slot=main", photos[0]).result_int() == 201);
    REQUIRE(upload(server, "sku=SKU-1&slot=detail-1", photos[1]).result_int() == 201);

    const auto embed = get(server, "/v1/embed/sku/acme/SKU-1?presets=thumb,list&alt=Shoe");
    REQUIRE(embed.result_int() == 200);
    const auto body = json_of(embed);
    const auto& slots = body.at("slots").as_array();
    REQUIRE(slots.size() == 2);
    CHECK(slots[0].at("slot") == "detail-1");
    CHECK(slots[1].at("slot") == "main");
    CHECK(slots[1].at("id").as_string() == first);
    const std::string html(slots[1].at("html").as_string());
    CHECK(html.find("/p/acme/SKU-1/main/thumb.jpg 240w") != std::string::npos);
    CHECK(html.find("/i/") == std::string::npos);
    const auto one = get(server, "/v1/embed/sku/acme/SKU-1?slot=main");
    REQUIRE(one.result_int() == 200);
    CHECK(json_of(one).at("slots").as_array().size() == 1);
    CHECK(get(server, "/v1/embed/sku/acme/SKU-1?slot=ad-1").result_int() == 404);
    CHECK(get(server, "/v1/embed/sku/acme/NONE").result_int() == 404);
    CHECK(get(server, "/v1/embed/sku/acme/SKU-1?slot=hero").result_int() == 400);

    const auto go = get(server, "/go/p/acme/SKU-1/main/thumb.jpg");
    REQUIRE(go.result_int() == 302);
    CHECK(std::string(go[server::http::field::location]).ends_with("/p/acme/SKU-1/main/thumb.jpg"));

    REQUIRE(test::request(server.port(), "DELETE", "/v1/originals/" + first, kAcme).result_int() ==
            200);
    CHECK(get(server, "/p/acme/SKU-1/main/thumb.jpg").result_int() == 410);
}

TEST_CASE("with slot_answer = redirect a slot URL is a short-lived 302 to the /i/ URL",
          "[integration][products]") {
    TestServer server([](config::Config& config) {
        with_parties(config);
        config.products.slot_answer = config::SlotAnswer::Redirect;
        config.products.slot_max_age = 30s;
    });
    const auto photos = test::distinct_photos(1);
    REQUIRE(upload(server, "sku=SKU-1&slot=main", photos[0]).result_int() == 201);
    const auto moved = get(server, "/p/acme/SKU-1/main/thumb.jpg");
    REQUIRE(moved.result_int() == 302);
    // The immutable address of the current rendition, with the preset's version.
    const std::string location(moved[server::http::field::location]);
    CHECK(location.starts_with("/i/" + sha256_hex(photos[0]) + "/thumb~"));
    CHECK(location.ends_with(".jpg"));
    CHECK(get(server, location)[server::http::field::cache_control] ==
          "public, max-age=31536000, immutable");
    CHECK(moved[server::http::field::cache_control] == "public, max-age=30");
}
