#include "server/handlers/party_handler.h"

#include "server/request.h"

namespace imgline::server {

std::vector<Route> party_routes(const app::Authenticator& auth) {
    auto whoami = [](const Request& request) -> Expected<Reply> {
        const app::Party& party = *request.party;
        return Reply::json(200,
                           {{"name", party.name},
                            {"kind", party.kind},
                            {"brand", party.brand},
                            {"may", {{"upload", true}, {"see_all_parties", party.is_admin()}}}})
            .with_header("Cache-Control", "no-store");
    };
    return {Route{{Method::Get},
                  "/v1/whoami",
                  "whoami",
                  whoami,
                  Execution::Inline,
                  std::nullopt,
                  {},
                  any_party(auth)}};
}

}  // namespace imgline::server
